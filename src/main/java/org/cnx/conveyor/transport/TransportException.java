package org.cnx.conveyor.transport;

/** Why a step on a host did not complete; each subclass maps to a different reaction of the deploy engine. */
public abstract sealed class TransportException extends Exception
        permits TransportException.HostUnreachable,
                TransportException.HostKeyRejected,
                TransportException.CommandFailed,
                TransportException.CommandTimedOut {

    private final String host;

    protected TransportException(String host, String message, Throwable cause) {
        super(message, cause);
        this.host = host;
    }

    public String host() {
        return host;
    }

    /** The host could not be reached, or the connection broke: the host's state is unknown. */
    public static final class HostUnreachable extends TransportException {
        public HostUnreachable(String host, String message, Throwable cause) {
            super(host, message, cause);
        }
    }

    /** The host's key is unknown or changed, or our key was refused: nothing was run. */
    public static final class HostKeyRejected extends TransportException {
        public HostKeyRejected(String host, String message) {
            super(host, message, null);
        }
    }

    /** The command ran and exited non-zero. */
    public static final class CommandFailed extends TransportException {
        private final int exitCode;

        public CommandFailed(String host, int exitCode, String message) {
            super(host, message, null);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** The command did not finish in time and was abandoned. */
    public static final class CommandTimedOut extends TransportException {
        public CommandTimedOut(String host, String message) {
            super(host, message, null);
        }
    }
}
