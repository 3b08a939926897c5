package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * A tiny PNG file of 1×40,000,000 pixels (the most accepted) is classified by {@code predict} in a
 * JVM with a 384 MB heap: the preprocessing keeps one byte per pixel and converts rows in pieces,
 * and nothing goes through libtorch until the picture is 28×28. It took 5.3 GB resident and 35–48 s
 * in an earlier version.
 */
class HugePictureIT {

    @TempDir Path tmp;

    @Test
    void aOneBy40MillionPixelPngIsClassifiedWithA384MbHeap() throws Exception {
        BufferedImage line = new BufferedImage(40_000_000, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 1_000; x < 2_000; x++) {
            line.getRaster().setSample(x, 0, 0, 255);
        }
        Path png = tmp.resolve("line.png");
        ImageIO.write(line, "png", png.toFile());
        Path log = tmp.resolve("out.txt");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx384m",
                                "-jar",
                                Path.of("target", "nnkurs.jar").toString(),
                                "predict",
                                "--model",
                                ExportedMnist.folder().toAbsolutePath().toString(),
                                png.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "predict did not finish");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(png + ":  "), output);
    }
}
