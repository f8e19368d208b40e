package dev.queuebench.api;

/**
 * A configuration key a provider accepts.
 *
 * @param defaultValue shown to users; {@code null} when the key is required or has no simple default
 */
public record ConfigKey(String name, String description, String defaultValue) {}
