package io.dindclusters.provision;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Every network with the cluster's labels; runs after the containers on it are gone. */
@Component
@Order(200)
class RemoveNetworksStep implements TeardownStep {

    @Override
    public String name() {
        return "remove-networks";
    }

    @Override
    public void run(TeardownContext context) {
        List<String> ids = context.engine().networksLabelled(context.labels());
        ids.forEach(context.engine()::removeNetwork);
        context.events().log("removed " + ids.size() + " network" + (ids.size() == 1 ? "" : "s"));
    }
}
