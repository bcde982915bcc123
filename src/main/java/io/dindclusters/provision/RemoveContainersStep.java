package io.dindclusters.provision;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Every container with the cluster's labels, with its anonymous volumes. */
@Component
@Order(100)
class RemoveContainersStep implements TeardownStep {

    @Override
    public String name() {
        return "remove-containers";
    }

    @Override
    public void run(TeardownContext context) {
        List<String> ids = context.engine().containersLabelled(context.labels());
        ids.parallelStream().forEach(context.engine()::removeContainer);
        context.events().log("removed " + ids.size() + " container" + (ids.size() == 1 ? "" : "s"));
    }
}
