package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The network's design choices, parsed and checked. */
class ArchitectureTest {

    @Test
    void theLessonsNetworkIs784To64To64To64To10() {
        assertEquals("784-64-64-64-10", Architecture.lesson(Variant.SLIDES).describe());
    }

    @Test
    void hiddenWidthsParseFromCommas() {
        assertEquals(List.of(128, 32), Architecture.parseHidden("128, 32"));
        assertEquals(List.of(), Architecture.parseHidden(""));
    }

    @Test
    void metadataArchitectureGivesTheHiddenWidths() {
        assertEquals(List.of(32, 16), Architecture.hiddenOf("784-32-16-10"));
    }

    @Test
    void anArchitectureNotFrom784To10IsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> Architecture.hiddenOf("1024-64-10"));
        assertEquals("architecture 1024-64-10 does not run from 784 to 10", e.getMessage());
    }

    @Test
    void widthsOutsideTheRangeAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Architecture(List.of(64, 5000), HiddenActivation.RELU, Variant.SLIDES));
    }

    @Test
    void noHiddenLayerIsSoftmaxRegression() {
        var net =
                Models.sequential(
                        new Architecture(List.of(), HiddenActivation.RELU, Variant.LOGITS));
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            Models.initialize(net, manager, 1);
            assertEquals(784 * 10 + 10, Models.parameterCount(net));
        }
    }

    @Test
    void theSlidesNetworkHas59210WeightsAndTrainsOnOneThread() {
        Architecture slides = Architecture.lesson(Variant.SLIDES);
        assertEquals(784 * 64 + 64 + 64 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10, slides.weights());
        assertEquals(59_210, slides.weights());
        assertEquals(1, slides.trainingThreads(8));
    }

    @Test
    void aLargeNetworkTrainsOnEveryCore() {
        Architecture large =
                new Architecture(List.of(1024, 1024), HiddenActivation.RELU, Variant.LOGITS);
        assertEquals(784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10, large.weights());
        assertEquals(2, large.trainingThreads(2));
        assertEquals(1, large.trainingThreads(0), "never fewer than one");
        Architecture none = new Architecture(List.of(), HiddenActivation.RELU, Variant.LOGITS);
        assertEquals(7_850, none.weights());
    }
}
