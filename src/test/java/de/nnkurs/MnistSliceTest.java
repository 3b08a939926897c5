package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.export.DigitClassifier;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

/**
 * The committed slice is the head of the real MNIST, and the model the fast tests train on it
 * learns: without that, their predictions would prove little.
 */
class MnistSliceTest {

    private static byte[] first20(MnistSplit split) {
        return Arrays.copyOf(split.labels(), 20);
    }

    private static int[] digitCounts(MnistSplit split) {
        int[] counts = new int[10];
        for (byte label : split.labels()) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void theSliceHoldsTheFirstExamplesOfMnistsTrainingAndTestSets() throws IOException {
        MnistData slice = MnistSlice.load();
        assertEquals(6000, slice.train().count());
        assertEquals(1000, slice.test().count());
        // The first labels of MNIST's training and test files, as every MNIST tutorial shows them.
        assertArrayEquals(
                new byte[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5, 3, 6, 1, 7, 2, 8, 6, 9},
                first20(slice.train()));
        assertArrayEquals(
                new byte[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4},
                first20(slice.test()));
        for (MnistSplit split : new MnistSplit[] {slice.train(), slice.test()}) {
            int[] counts = digitCounts(split);
            for (int digit = 0; digit < 10; digit++) {
                // about a tenth each: 85 to 126 in the test slice
                assertTrue(
                        counts[digit] >= split.count() / 20,
                        "digit " + digit + ": " + Arrays.toString(counts));
            }
        }
    }

    @Test
    void theExportedModelClassifiesTheTestSliceFarAboveChance() throws IOException {
        MnistSplit test = MnistSlice.load().test();
        int[] predicted;
        try (DigitClassifier classifier = DigitClassifier.open(ExportedMnist.folder())) {
            predicted = classifier.classify(test, ProgressListener.NONE);
        }
        int right = 0;
        for (int i = 0; i < test.count(); i++) {
            right += predicted[i] == test.labels()[i] ? 1 : 0;
        }
        // Chance is 100 of 1000. Measured 689 with seed 1 (577 to 792 over seeds 1 to 5).
        assertTrue(right >= 500, right + " of 1000 right");
    }
}
