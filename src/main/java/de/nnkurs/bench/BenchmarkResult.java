package de.nnkurs.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.Arrays;
import java.util.Locale;

/**
 * The in-process figures of a {@link Benchmark} run.
 *
 * @param epochSeconds training seconds of each epoch, the first a warm-up
 * @param peerEpochSeconds the same for the plain DJL {@code Trainer} loop, in the same run
 * @param nativeCallsPerStep calls into libtorch per training step of the project's loop (NaN when
 *     not counted: {@link NativeCalls#available()})
 * @param peerNativeCallsPerStep the same for the plain DJL {@code Trainer} loop
 * @param trainingExamples examples trained on per epoch
 * @param predictP50Micros median single-picture latency of the exported model, µs
 * @param predictP99Micros 99th percentile of it, µs
 * @param imagesPerSecond256 batched inference at batch 256
 * @param imagesPerSecond10000 batched inference at batch 10,000
 * @param peakRssMb the process's peak resident memory, MiB (NaN off Linux)
 * @param threads libtorch's intra-op threads
 * @param cores the processors Java sees
 */
public record BenchmarkResult(
        double[] epochSeconds,
        double[] peerEpochSeconds,
        double nativeCallsPerStep,
        double peerNativeCallsPerStep,
        int trainingExamples,
        double predictP50Micros,
        double predictP99Micros,
        double imagesPerSecond256,
        double imagesPerSecond10000,
        double peakRssMb,
        int threads,
        int cores) {

    /** Returns the median training seconds per epoch after the warm-up epoch. */
    public double medianEpochSeconds() {
        return Benchmark.median(Arrays.copyOfRange(epochSeconds, 1, epochSeconds.length));
    }

    /** Returns the plain DJL loop's median seconds per epoch after its warm-up epoch. */
    public double peerMedianEpochSeconds() {
        return Benchmark.median(Arrays.copyOfRange(peerEpochSeconds, 1, peerEpochSeconds.length));
    }

    /** Returns how many times as fast as the plain DJL loop the project's loop trains. */
    public double timesAsFastAsPeer() {
        return peerMedianEpochSeconds() / medianEpochSeconds();
    }

    /** Returns training examples per second at the median epoch. */
    public double samplesPerSecond() {
        return trainingExamples / medianEpochSeconds();
    }

    /** Returns the figures as JSON, the keys the benchmark script reads. */
    public String toJson() {
        JsonObject json = new JsonObject();
        JsonArray epochs = new JsonArray();
        Arrays.stream(epochSeconds).forEach(epochs::add);
        json.add("secondsPerEpoch", epochs);
        json.addProperty("medianSecondsPerEpoch", medianEpochSeconds());
        json.addProperty("samplesPerSecond", samplesPerSecond());
        JsonArray peer = new JsonArray();
        Arrays.stream(peerEpochSeconds).forEach(peer::add);
        json.add("peerSecondsPerEpoch", peer);
        json.addProperty("peerMedianSecondsPerEpoch", peerMedianEpochSeconds());
        json.addProperty("timesAsFastAsPeer", timesAsFastAsPeer());
        json.addProperty("nativeCallsPerStep", nativeCallsPerStep);
        json.addProperty("peerNativeCallsPerStep", peerNativeCallsPerStep);
        json.addProperty("predictP50Micros", predictP50Micros);
        json.addProperty("predictP99Micros", predictP99Micros);
        json.addProperty("imagesPerSecondBatch256", imagesPerSecond256);
        json.addProperty("imagesPerSecondBatch10000", imagesPerSecond10000);
        json.addProperty("peakRssMb", peakRssMb);
        json.addProperty("threads", threads);
        json.addProperty("cores", cores);
        return new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(json)
                + "\n";
    }

    /** Returns a table for the console. */
    public String table() {
        return String.format(
                Locale.ROOT,
                "training, seconds per epoch (median of %d after a warm-up)  %.3f%n"
                        + "  the plain DJL Trainer loop, same run, s per epoch    %.3f%n"
                        + "  the project's loop is                                %.2f× as fast%n"
                        + "native calls into libtorch per step, project / DJL loop %s%n"
                        + "training, samples per second                           %.0f%n"
                        + "predict, one picture, p50 / p99 (µs)                   %.0f / %.0f%n"
                        + "batched inference, images per second, batch 256       %.0f%n"
                        + "batched inference, images per second, batch 10,000    %.0f%n"
                        + "peak resident memory (MiB)                             %.0f%n"
                        + "libtorch threads / cores                               %d / %d%n",
                epochSeconds.length - 1,
                medianEpochSeconds(),
                peerMedianEpochSeconds(),
                timesAsFastAsPeer(),
                Double.isNaN(nativeCallsPerStep)
                        ? "not counted (run from the jar)"
                        : String.format(
                                Locale.ROOT,
                                "%.0f / %.0f",
                                nativeCallsPerStep,
                                peerNativeCallsPerStep),
                samplesPerSecond(),
                predictP50Micros,
                predictP99Micros,
                imagesPerSecond256,
                imagesPerSecond10000,
                peakRssMb,
                threads,
                cores);
    }
}
