package de.nnkurs.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.Lesson;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

/** Counting true against predicted classes, and the ratios and table built on the counts. */
class ConfusionMatrixTest {

    // Three classes, eight examples. By hand, rows true, columns predicted:
    //   0: 3 0 0
    //   1: 1 1 1
    //   2: 0 1 1
    private static final int[] LABELS = {0, 0, 0, 1, 1, 1, 2, 2};
    private static final int[] PREDICTED = {0, 0, 0, 0, 1, 2, 2, 1};
    private static final int[][] BY_HAND = {{3, 0, 0}, {1, 1, 1}, {0, 1, 1}};

    private static ConfusionMatrix example() {
        return ConfusionMatrix.of(LABELS, PREDICTED, 3);
    }

    @Test
    void countsEachPairOfTrueAndPredictedClass() {
        ConfusionMatrix m = example();
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(BY_HAND[a][p], m.count(a, p), "true " + a + ", predicted " + p);
            }
        }
        assertEquals(8, m.total());
    }

    @Test
    void accuracyIsTheShareOfTheDiagonal() {
        assertEquals(5, example().correct());
        assertEquals(5.0 / 8, example().accuracy());
    }

    @Test
    void precisionIsHitsOverAllPredictionsOfTheClass() {
        ConfusionMatrix m = example();
        assertEquals(3.0 / 4, m.precision(0));
        assertEquals(1.0 / 2, m.precision(1));
        assertEquals(1.0 / 2, m.precision(2));
    }

    @Test
    void recallIsHitsOverAllExamplesOfTheClass() {
        ConfusionMatrix m = example();
        assertEquals(1.0, m.recall(0));
        assertEquals(1.0 / 3, m.recall(1));
        assertEquals(1.0 / 2, m.recall(2));
    }

    @Test
    void precisionOfAClassNeverPredictedIsNaN() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        assertEquals(Double.NaN, m.precision(1));
        assertEquals(0.0, m.recall(1));
    }

    @Test
    void recallOfAClassThatNeverOccursIsNaN() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0}, new int[] {0, 1}, 2);
        assertEquals(Double.NaN, m.recall(1));
        assertEquals(0.0, m.precision(1));
    }

    @Test
    void shareIsTheCountOverItsTrueRowAndZeroForAnEmptyRow() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 1}, 2);
        assertEquals(0.75, m.share(0, 0));
        assertEquals(0.25, m.share(0, 1));
        assertEquals(0.0, m.share(1, 1));
    }

    @Test
    void rejectsLabelsAndPredictionsOfDifferentLengths() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConfusionMatrix.of(LABELS, Arrays.copyOf(PREDICTED, 7), 3));
        assertEquals("8 labels but 7 predictions", e.getMessage());
    }

    @Test
    void rejectsALabelOutsideTheClasses() {
        int[] labels = LABELS.clone();
        labels[2] = 3;
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConfusionMatrix.of(labels, PREDICTED, 3));
        assertEquals("label 3 at index 2 is outside 0..2", e.getMessage());
    }

    @Test
    void rejectsAPredictionOutsideTheClasses() {
        int[] predicted = PREDICTED.clone();
        predicted[5] = -1;
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConfusionMatrix.of(LABELS, predicted, 3));
        assertEquals("prediction -1 at index 5 is outside 0..2", e.getMessage());
    }

    @Test
    void readsASplitsLabelsAsUnsignedDigitsOverTenClasses() {
        byte[] labels = {9, 4, 4};
        MnistSplit split = new MnistSplit(3, new byte[3 * Lesson.INPUT], labels);
        ConfusionMatrix m = ConfusionMatrix.of(split, new int[] {9, 9, 4});
        assertEquals(Lesson.OUTPUT, m.classes());
        assertEquals(1, m.count(9, 9));
        assertEquals(1, m.count(4, 9));
        assertEquals(1, m.count(4, 4));
    }

    @Test
    void tableEndsWithTheAccuracyLine() {
        List<String> lines = example().table().lines().toList();
        assertEquals("accuracy 0.6250 (5 of 8)", lines.get(lines.size() - 1));
    }

    @Test
    void tableShowsEachCountInItsTrueRowAndPredictedColumn() {
        List<String> lines = example().table().lines().toList();
        assertEquals(
                List.of("true\\pred", "0", "1", "2", "precision", "recall"),
                List.of(lines.get(0).trim().split("\\s+")));
        for (int a = 0; a < 3; a++) {
            String[] cells = lines.get(1 + a).trim().split("\\s+");
            assertEquals(Integer.toString(a), cells[0]);
            int[] row = Arrays.stream(cells, 1, 4).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(BY_HAND[a], row, "row of true class " + a);
        }
    }

    @Test
    void tableShowsPrecisionAndRecallPerClassWithFourDecimals() {
        String[] row1 = example().table().lines().toList().get(2).trim().split("\\s+");
        assertEquals("0.5000", row1[4]);
        assertEquals("0.3333", row1[5]);
    }

    @Test
    void tablePrintsNaForUndefinedRatios() {
        String table = ConfusionMatrix.of(new int[] {0}, new int[] {0}, 2).table();
        String[] row1 = table.lines().toList().get(2).trim().split("\\s+");
        assertEquals(List.of("n/a", "n/a"), List.of(row1[3], row1[4]));
    }

    @Test
    void tableOfTheTenDigitsFitsAnEightyColumnTerminal() {
        int n = 10_000;
        int[] labels = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            predicted[i] = i % 97 == 0 ? (i + 1) % 10 : i % 10;
        }
        String table = ConfusionMatrix.of(labels, predicted, Lesson.OUTPUT).table();
        assertTrue(
                table.lines().allMatch(line -> line.length() <= 80),
                () -> "wider than 80 columns:\n" + table);
    }
}
