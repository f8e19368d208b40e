package dev.queuebench.jdbc;

import java.util.Locale;

/**
 * A dialect's way to lease jobs, as an enum constant whose name in configuration is its own name in lower case with
 * {@code -} for {@code _} ({@code SKIP_LOCKED} is {@code skip-locked}), so that the name is written once.
 */
public interface ClaimStrategy {
    /** The enum constant's name. */
    String name();

    /** The strategy's name in configuration: {@link #name()} in lower case, {@code _} written {@code -}. */
    default String strategy() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose {@link #strategy()} is {@code strategy}; throws when there is none. */
    static <E extends Enum<E> & ClaimStrategy> E forStrategy(Class<E> type, String strategy) {
        for (E constant : type.getEnumConstants()) {
            if (constant.strategy().equals(strategy)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no claim query for strategy " + strategy);
    }
}
