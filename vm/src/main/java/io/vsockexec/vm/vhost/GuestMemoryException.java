package io.vsockexec.vm.vhost;

/**
 * The guest named memory it does not have, or laid out a queue against the rules: an error of
 * the guest's, confined to the queue or connection it concerns.
 */
public final class GuestMemoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public GuestMemoryException(String message) {
        super(message);
    }
}
