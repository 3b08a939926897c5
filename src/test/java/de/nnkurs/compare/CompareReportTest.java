package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.cli.Main;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.training.EpochResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The side-by-side report: its statistics, its targets, its files and its exit code. */
class CompareReportTest {

    private static final int STEPS = 120;

    @TempDir Path tmp;

    private static RunRecord record(
            String side, String optimizer, List<Float> losses, int[] predictions) {
        return record(side, optimizer, losses, predictions, 0.9);
    }

    private static RunRecord record(
            String side,
            String optimizer,
            List<Float> losses,
            int[] predictions,
            double testAccuracy) {
        return new RunRecord(
                side,
                optimizer,
                "slides",
                256,
                0.003,
                losses,
                List.of(new EpochResult(1, 1.5, testAccuracy, 2.0)),
                predictions,
                testAccuracy,
                500.0,
                Map.of("v", "1"));
    }

    /** A falling loss curve, shifted by {@code offset} from step {@code from} (0-based) on. */
    private static List<Float> losses(int n, int from, float offset) {
        List<Float> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(2f - i * 0.001f + (i >= from ? offset : 0f));
        }
        return l;
    }

    /** {@code n} predictions of which the first {@code equal} are 1, the rest 2. */
    private static int[] predictions(int n, int equal) {
        int[] p = new int[n];
        Arrays.fill(p, 0, equal, 1);
        Arrays.fill(p, equal, n, 2);
        return p;
    }

    private static List<Boolean> verdicts(RunRecord python, RunRecord java) {
        return CompareReport.targets(python, java).stream().map(CompareReport.Target::met).toList();
    }

    private void writeRecords(RunRecord python, RunRecord java) throws IOException {
        python.write(tmp.resolve("python.json"));
        java.write(tmp.resolve("java-adam.json"));
        record("java", "djl-adam", losses(STEPS, 1, 0.1f), predictions(10, 9))
                .write(tmp.resolve("java-djl-adam.json"));
    }

    @Test
    void differencesAreAbsoluteAndPerStep() {
        RunRecord a = record("java", "adam", List.of(1f, 2f, 3f), new int[0]);
        RunRecord b = record("python", "adam", List.of(1.5f, 2f, 2f), new int[0]);
        assertEquals(List.of(0.5, 0.0, 1.0), CompareReport.differences(a, b));
    }

    @Test
    void windowTakesMaxAndMeanOfTheFirstSteps() {
        CompareReport.Window w = CompareReport.window(List.of(1.0, 3.0, 100.0), 2);
        assertEquals(new CompareReport.Window(2, 3.0, 2.0), w);
        assertEquals(3, CompareReport.window(List.of(1.0, 3.0, 100.0), 50).steps());
    }

    @Test
    void agreementIsTheShareOfEqualPredictions() {
        RunRecord a = record("java", "adam", List.of(), new int[] {1, 2, 3, 4});
        RunRecord b = record("python", "adam", List.of(), new int[] {1, 2, 0, 4});
        assertEquals(0.75, CompareReport.agreement(a, b));
    }

    @Test
    void runsThatMatchInTheFirstStepsAndMostlyAgreeMeetEveryTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java = record("java", "adam", losses(STEPS, 0, 1e-7f), predictions(10, 8));
        assertEquals(List.of(true, true, true), verdicts(python, java));
    }

    @Test
    void aLossGapWithinTheFirstStepsMissesTheMathsTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java =
                record(
                        "java",
                        "adam",
                        losses(STEPS, CompareReport.CLOSE_STEPS - 1, 1e-4f),
                        predictions(10, 10));
        assertEquals(List.of(false, true, true), verdicts(python, java));
    }

    @Test
    void aLossGapAboveTheLooseBoundBeforeItsLastStepMissesTheSecondTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java =
                record(
                        "java",
                        "adam",
                        losses(STEPS, CompareReport.NEAR_STEPS - 1, 2e-3f),
                        predictions(10, 10));
        assertEquals(List.of(true, false, true), verdicts(python, java));
    }

    @Test
    void driftAfterTheFirstStepsAndAnAccuracyGapAreNotJudged() {
        // Float noise decides single predictions by the end: only agreement is a target.
        RunRecord python =
                record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10), 0.91);
        RunRecord java =
                record(
                        "java",
                        "adam",
                        losses(STEPS, CompareReport.NEAR_STEPS, 0.05f),
                        predictions(10, 8),
                        0.83);
        assertEquals(List.of(true, true, true), verdicts(python, java));
    }

    @Test
    void fewerEqualPredictionsThanTheMinimumMissTheAgreementTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java = record("java", "adam", losses(STEPS, 0, 0f), predictions(10, 7));
        List<CompareReport.Target> targets = CompareReport.targets(python, java);
        assertEquals(List.of(true, true, false), verdicts(python, java));
        assertEquals(
                "at least 75 % of test predictions equal to Python's (measured 70.00 %)",
                targets.get(2).toString());
    }

    @Test
    void agreementExactlyAtTheMinimumMeetsTheTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(4, 4));
        RunRecord java = record("java", "adam", losses(STEPS, 0, 0f), predictions(4, 3));
        assertEquals(CompareReport.MIN_AGREEMENT, CompareReport.agreement(java, python));
        assertEquals(List.of(true, true, true), verdicts(python, java));
    }

    @Test
    void aRunShorterThanAWindowDoesNotMeetItsTarget() {
        RunRecord python = record("python", "adam", losses(3, 0, 0f), predictions(10, 10));
        RunRecord java = record("java", "adam", losses(3, 0, 0f), predictions(10, 10));
        List<CompareReport.Target> targets = CompareReport.targets(python, java);
        assertEquals(List.of(false, false, true), verdicts(python, java));
        assertEquals(
                "max |Δloss| ≤ 1e-5 over the first 5 steps (measured 0.00e+00 over only 3"
                        + " step(s))",
                targets.get(0).toString());
    }

    @Test
    void aLossThatIsNotANumberMissesTheTargets() {
        List<Float> nan = losses(STEPS, 0, 0f);
        nan.set(1, Float.NaN);
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java = record("java", "adam", nan, predictions(10, 10));
        assertEquals(List.of(false, false, true), verdicts(python, java));
    }

    @Test
    void missingTestPredictionsMissTheAgreementTarget() {
        RunRecord python = record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10));
        RunRecord java = record("java", "adam", losses(STEPS, 0, 0f), new int[0]);
        assertEquals(List.of(true, true, false), verdicts(python, java));
    }

    @Test
    void reportStatesWhichTargetsAreMetWhyAndWritesThePlot() throws IOException {
        writeRecords(
                record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10)),
                record(
                        "java",
                        "adam",
                        losses(STEPS, CompareReport.CLOSE_STEPS, 0.01f),
                        predictions(10, 10)));
        CompareReport.Report report = CompareReport.write(tmp);
        String md = report.markdown();
        assertTrue(md.contains("- met: max \\|Δloss\\| ≤ 1e-5 over the first 5 steps"), md);
        assertTrue(
                md.contains("- **not met**: max \\|Δloss\\| ≤ 1e-3 over the first 20 steps"), md);
        assertTrue(
                md.contains(
                        "- met: at least 75 % of test predictions equal to Python's (measured"
                                + " 100.00 %)"),
                md);
        assertTrue(md.contains(CompareReport.RATIONALE), md);
        assertTrue(md.contains("| test accuracy gap to Python | — | 0.00 pp | 0.00 pp |"), md);
        assertTrue(
                md.contains("| test predictions equal to Python's | — | 100.00 % | 90.00 % |"), md);
        assertEquals(1, report.unmet().size(), report.unmet().toString());
        assertEquals(md, Files.readString(tmp.resolve("report.md")));
        BufferedImage png = ImageIO.read(tmp.resolve("loss.png").toFile());
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 600);
    }

    @Test
    void aMissingRecordIsNamed() {
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> CompareReport.write(tmp));
        assertTrue(e.getMessage().contains("python.json: no such file"), e.getMessage());
    }

    @Test
    void compareReportExitsWithZeroWhenEveryTargetIsMet() throws IOException {
        writeRecords(
                record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10)),
                record("java", "adam", losses(STEPS, 0, 0f), predictions(10, 9)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "compare-report",
                        tmp.toString());
        assertEquals(0, code, err.toString());
        assertEquals("", err.toString());
        assertTrue(out.toString().contains("Wrote " + tmp.resolve("report.md")), out.toString());
    }

    @Test
    void compareReportWritesTheReportThenExitsWithOneNamingTheUnmetTargets() throws IOException {
        writeRecords(
                record("python", "adam", losses(STEPS, 0, 0f), predictions(10, 10)),
                record("java", "adam", losses(STEPS, 2, 1e-4f), predictions(10, 5)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "compare-report",
                        tmp.toString());
        assertEquals(Main.EXIT_FAILURE, code);
        assertEquals(1, code, "scripts/compare relies on 1 with a written report");
        assertTrue(Files.exists(tmp.resolve("report.md")));
        assertEquals(
                List.of(
                        "nnkurs compare-report: targets not met: max |Δloss| ≤ 1e-5 over the first"
                                + " 5 steps (measured 1.00e-04); at least 75 % of test"
                                + " predictions equal to Python's (measured 50.00 %)"),
                err.toString().lines().toList());
    }
}
