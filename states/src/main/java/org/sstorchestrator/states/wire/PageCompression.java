package org.sstorchestrator.states.wire;

/**
 * Whether the first bytes of an InnoDB tablespace say it is page-compressed, and its page size,
 * read as mbstream 10.11 reads them to punch holes (FSP flags, big-endian, at byte 54 of page 0:
 * FIL_PAGE_DATA 38 + FSP_SPACE_FLAGS 16). Getting this wrong costs disk, never data: holes read
 * as zeros.
 */
final class PageCompression {

    private static final int FSP_FLAGS = 38 + 16;
    private static final int FULL_CRC32 = 1 << 4;
    private static final int PAGE_COMPRESSION = 1 << 16;

    private PageCompression() {
    }

    /** The page size to punch holes by, or -1 when this is not a page-compressed tablespace. */
    static int pageSizeOf(byte[] b, int off, int len) {
        if (len < FSP_FLAGS + 4) {
            return -1;
        }
        int p = off + FSP_FLAGS;
        int flags = (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
        boolean compressed = (flags & FULL_CRC32) != 0 ? ((flags >>> 5) & 0x7) != 0 : (flags & PAGE_COMPRESSION) != 0;
        if (!compressed) {
            return -1;
        }
        int ssize = (flags >>> 6) & 0xf; // mbstream reads these bits in both formats
        return ssize == 0 ? 16384 : 512 << ssize;
    }
}
