package dev.queuebench.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a backend's statement files ({@code schema.sql}, {@code claim.lua}, ...) from the resources beside one of its
 * classes. Every backend names them in {@code snake_case} and reads them once, into constants.
 */
public final class ResourceText {
    private ResourceText() {}

    /** The whole UTF-8 text of resource {@code name} in {@code owner}'s package; fails loudly when it is missing. */
    public static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name + " beside " + owner.getName(), e);
        }
    }

    /**
     * The statements of a script: its text split after each {@code ;} that ends a line, comment-only pieces left
     * out.
     */
    public static List<String> statements(String script) {
        return Arrays.stream(script.split(";[ \\t]*(\\R|$)"))
                .filter(piece -> piece.lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("--")))
                .toList();
    }
}
