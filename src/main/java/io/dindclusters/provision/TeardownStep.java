package io.dindclusters.provision;

/** One named action of teardown. Teardown finds what to remove by labels, so it works whatever provisioning left. */
public interface TeardownStep {

    String name();

    void run(TeardownContext context) throws Exception;
}
