package io.dindclusters.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Docker engine call that failed, with the engine's own message made readable. */
public class DockerEngineException extends RuntimeException {

    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String host;
    private final String operation;

    DockerEngineException(String operation, Throwable cause) {
        this(null, operation, cause);
    }

    DockerEngineException(String host, String operation, Throwable cause) {
        super(readable(cause), cause);
        this.host = host;
        this.operation = operation;
    }

    public String operation() {
        return operation;
    }

    /** The Docker host whose engine failed; null when not known. */
    public String host() {
        return host;
    }

    /** Whether the engine could not be reached at all (an I/O failure), rather than refusing the call. */
    public boolean unreachable() {
        return ioFailure(getCause()) != null;
    }

    /** The I/O failure in a cause chain (the engine not answering at all), or null. */
    private static java.io.IOException ioFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException io) {
                return io;
            }
        }
        return null;
    }

    /** "Status 404: {"message":"No such image: x"}" becomes "No such image: x". */
    static String readable(Throwable cause) {
        java.io.IOException io = ioFailure(cause);
        if (io != null) {
            return "the Docker engine cannot be reached (" + (io.getMessage() == null
                    ? io.getClass().getSimpleName() : io.getMessage().strip()) + ")";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Matcher m = JSON_MESSAGE.matcher(message);
        if (m.find()) {
            return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return message.strip();
    }
}
