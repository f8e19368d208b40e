package dev.queuebench.suite.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fingerprint set keeps what it was given through its growth and tells other ids apart. */
class RetiredFingerprintsTest {
    @Test
    void everyAddedIdIsFoundAfterGrowthAndNoOtherOfAHundredThousandIs() {
        RetiredFingerprints set = new RetiredFingerprints();
        List<String> added = IntStream.range(0, 100_000).mapToObj(i -> UUID.randomUUID().toString()).toList();
        added.forEach(id -> assertThat(set.add(RetiredFingerprints.of(id))).isTrue());

        assertThat(set.size()).isEqualTo(added.size());
        assertThat(added).allMatch(id -> set.contains(RetiredFingerprints.of(id)));
        assertThat(IntStream.range(0, 100_000).mapToObj(i -> "other-" + i))
                .noneMatch(id -> set.contains(RetiredFingerprints.of(id)));
        assertThat(set.bytes()).isLessThanOrEqualTo(16L + 22L * added.size());
    }

    @Test
    void theFingerprintZeroIsHeldApartFromTheEmptySlots() {
        RetiredFingerprints set = new RetiredFingerprints();

        assertThat(set.contains(0)).isFalse();
        assertThat(set.add(0)).isTrue();
        assertThat(set.add(0)).isFalse();
        assertThat(set.contains(0)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void idsDifferingInOneCharacterHaveDifferentFingerprints() {
        assertThat(RetiredFingerprints.of("job-1")).isNotEqualTo(RetiredFingerprints.of("job-2"));
        assertThat(RetiredFingerprints.of("job-1")).isEqualTo(RetiredFingerprints.of(new String("job-1")));
    }
}
