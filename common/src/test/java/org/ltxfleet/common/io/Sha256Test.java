package org.ltxfleet.common.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Sha256Test {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void matchesTheStandardVectorAndStartsCleanOnEveryCall() {
        // FIPS 180-2's "abc": the per-thread digest must be reset between calls, also after other input.
        assertThat(Sha256.hex("abc".getBytes())).isEqualTo(ABC);
        Sha256.of("something else entirely");
        assertThat(Sha256.hex("abc".getBytes())).isEqualTo(ABC);
        assertThat(Sha256.of("abc")).hasSize(32);
    }
}
