package de.nnkurs.serving;

/**
 * Finds the EXIF orientation tag in a JPEG ({@code APP1 Exif}) or a PNG ({@code eXIf} chunk). Every
 * offset and length is checked against the data before it is used: a damaged or hostile header
 * reads as "no orientation", never as an exception.
 */
final class Exif {

    /** The value meaning "stored as shown". */
    static final int UPRIGHT = 1;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int SHORT = 3;
    private static final int MAX_IFD_ENTRIES = 1024;

    private Exif() {}

    /**
     * Returns the orientation (1–8) an encoded picture declares.
     *
     * @param data the picture's bytes
     * @return 2–8 where the picture declares one, else {@value #UPRIGHT}
     */
    static int orientation(byte[] data) {
        if (data.length > 3 && u8(data, 0) == 0xFF && u8(data, 1) == 0xD8) {
            return fromJpeg(data);
        }
        if (data.length > 8 && u8(data, 0) == 0x89 && data[1] == 'P' && data[2] == 'N') {
            return fromPng(data);
        }
        return UPRIGHT;
    }

    private static int fromJpeg(byte[] data) {
        int pos = 2;
        while (pos + 4 <= data.length) {
            if (u8(data, pos) != 0xFF) {
                return UPRIGHT; // not a marker: damaged
            }
            int marker = u8(data, pos + 1);
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return UPRIGHT; // end of image, or start of the scan: no more headers
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length
                continue;
            }
            int length = u16(data, pos + 2, false);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > data.length) {
                return UPRIGHT;
            }
            if (marker == 0xE1
                    && end - start >= 6
                    && data[start] == 'E'
                    && data[start + 1] == 'x'
                    && data[start + 2] == 'i'
                    && data[start + 3] == 'f'
                    && data[start + 4] == 0
                    && data[start + 5] == 0) {
                return fromTiff(data, start + 6, end);
            }
            pos = end;
        }
        return UPRIGHT;
    }

    private static int fromPng(byte[] data) {
        int pos = 8;
        while (pos + 12 <= data.length) {
            long length = u32(data, pos, false);
            if (length > data.length - pos - 12L) {
                return UPRIGHT;
            }
            int start = pos + 8;
            int end = start + (int) length;
            if (data[pos + 4] == 'e'
                    && data[pos + 5] == 'X'
                    && data[pos + 6] == 'I'
                    && data[pos + 7] == 'f') {
                return fromTiff(data, start, end);
            }
            if (data[pos + 4] == 'I'
                    && data[pos + 5] == 'E'
                    && data[pos + 6] == 'N'
                    && data[pos + 7] == 'D') {
                return UPRIGHT;
            }
            pos = end + 4; // skip the CRC
        }
        return UPRIGHT;
    }

    /** Reads the orientation from the first IFD of a TIFF structure in {@code [start, end)}. */
    private static int fromTiff(byte[] data, int start, int end) {
        if (end - start < 8) {
            return UPRIGHT;
        }
        boolean little;
        if (data[start] == 'I' && data[start + 1] == 'I') {
            little = true;
        } else if (data[start] == 'M' && data[start + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        if (u16(data, start + 2, little) != 42) {
            return UPRIGHT;
        }
        long ifd = u32(data, start + 4, little);
        if (ifd < 8 || ifd > end - start - 2L) {
            return UPRIGHT;
        }
        int pos = start + (int) ifd;
        int count = u16(data, pos, little);
        if (count > MAX_IFD_ENTRIES) {
            return UPRIGHT;
        }
        pos += 2;
        for (int i = 0; i < count && pos + 12 <= end; i++, pos += 12) {
            if (u16(data, pos, little) == ORIENTATION_TAG) {
                if (u16(data, pos + 2, little) != SHORT || u32(data, pos + 4, little) != 1) {
                    return UPRIGHT;
                }
                int value = u16(data, pos + 8, little);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    private static int u8(byte[] data, int pos) {
        return data[pos] & 0xFF;
    }

    private static int u16(byte[] data, int pos, boolean little) {
        return little
                ? u8(data, pos) | u8(data, pos + 1) << 8
                : u8(data, pos) << 8 | u8(data, pos + 1);
    }

    private static long u32(byte[] data, int pos, boolean little) {
        long a = u16(data, pos, little);
        long b = u16(data, pos + 2, little);
        return little ? a | b << 16 : a << 16 | b;
    }
}
