package de.nnkurs.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * The orientation tag is read from hand-built JPEG and PNG headers (the bytes laid out as the EXIF
 * and PNG specifications say), and damaged headers read as upright instead of failing.
 */
class ExifTest {

    /** A TIFF structure whose first IFD holds one entry: Orientation (0x0112), SHORT, 1 value. */
    private static byte[] tiff(boolean little, int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (little) {
            out.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}); // header, IFD at 8
            out.writeBytes(new byte[] {1, 0}); // one entry
            out.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
            out.writeBytes(new byte[] {0, 0, 0, 0}); // no next IFD
        } else {
            out.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
            out.writeBytes(new byte[] {0, 1});
            out.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
            out.writeBytes(new byte[] {0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    /** SOI, an APP0 (JFIF-like) segment, APP1 "Exif\0\0" + TIFF, then SOS. */
    private static byte[] jpeg(byte[] tiff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 4, 'J', 'F'});
        int length = 2 + 6 + tiff.length;
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 2});
        return out.toByteArray();
    }

    /** The PNG signature, an eXIf chunk holding the TIFF (CRC not checked), then IEND. */
    private static byte[] png(byte[] tiff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(new byte[] {0, 0, 0, (byte) tiff.length, 'e', 'X', 'I', 'f'});
        out.writeBytes(tiff);
        out.writeBytes(new byte[] {0, 0, 0, 0});
        out.writeBytes(new byte[] {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0, 0, 0, 0});
        return out.toByteArray();
    }

    @Test
    void readsEveryOrientationFromJpegAndPngInBothByteOrders() {
        for (int o = 1; o <= 8; o++) {
            assertEquals(o, Exif.orientation(jpeg(tiff(true, o))), "JPEG II " + o);
            assertEquals(o, Exif.orientation(jpeg(tiff(false, o))), "JPEG MM " + o);
            assertEquals(o, Exif.orientation(png(tiff(true, o))), "PNG II " + o);
        }
    }

    @Test
    void valuesOutsideOneToEightCountAsUpright() {
        assertEquals(1, Exif.orientation(jpeg(tiff(true, 0))));
        assertEquals(1, Exif.orientation(jpeg(tiff(true, 9))));
    }

    @Test
    void everyTruncationAndRandomDamageReadsAsUprightOrAValidValue() {
        byte[] good = jpeg(tiff(false, 6));
        for (int n = 0; n < good.length; n++) {
            int o = Exif.orientation(Arrays.copyOf(good, n));
            assertEquals(true, o >= 1 && o <= 8, "truncated to " + n);
        }
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = good.clone();
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            int o = Exif.orientation(bad);
            assertEquals(true, o >= 1 && o <= 8);
        }
    }

    @Test
    void anIfdClaimingMoreEntriesThanTheSegmentHoldsStopsAtItsEnd() {
        byte[] t = tiff(true, 6);
        t[8] = (byte) 0xFF; // 255 entries claimed, one present
        assertEquals(6, Exif.orientation(jpeg(t)));
        byte[] offset = tiff(true, 6);
        offset[4] = (byte) 0xF0; // IFD offset beyond the segment
        assertEquals(1, Exif.orientation(jpeg(offset)));
    }
}
