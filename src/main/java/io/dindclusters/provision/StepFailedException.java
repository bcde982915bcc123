package io.dindclusters.provision;

/** A step that cannot go on, with a reason a person understands. */
public class StepFailedException extends Exception {

    public StepFailedException(String reason) {
        super(reason);
    }

    public StepFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
