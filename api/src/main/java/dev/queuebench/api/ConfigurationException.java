package dev.queuebench.api;

/** A configuration key or option is unknown or invalid; the message names it and what it accepts. */
public class ConfigurationException extends QueueException {
    public ConfigurationException(String message) {
        super(Secrets.redact(message));
    }

    public ConfigurationException(String message, Throwable cause) {
        super(Secrets.redact(message), cause);
    }
}
