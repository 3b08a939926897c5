package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;

import org.junit.jupiter.api.Test;

/** One naming rule for every choice: code, command line and metadata agree. */
class ChoiceTest {

    @Test
    void aLabelIsTheConstantInLowerCaseWithDashes() {
        assertEquals("leaky-relu", HiddenActivation.LEAKY_RELU.label());
        assertEquals("djl-adam", OptimizerKind.DJL_ADAM.label());
        assertEquals("cross-entropy", LossKind.CROSS_ENTROPY.label());
        assertEquals("logits", Variant.LOGITS.label());
    }

    @Test
    void everyChoiceIsFoundByItsLabelInAnyCase() {
        for (OptimizerKind k : OptimizerKind.values()) {
            assertSame(k, OptimizerKind.fromLabel(k.label().toUpperCase(java.util.Locale.ROOT)));
        }
        for (LossKind k : LossKind.values()) {
            assertSame(k, LossKind.fromLabel(k.label()));
        }
        for (Variant v : Variant.values()) {
            assertSame(v, Variant.fromLabel(" " + v.label() + " "));
        }
    }

    @Test
    void anUnknownLabelNamesTheKindAndEveryValidLabel() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LossKind.fromLabel("hinge"));
        assertEquals(
                "unknown loss 'hinge', choose one of cross-entropy, slide-ce, mse", e.getMessage());
    }
}
