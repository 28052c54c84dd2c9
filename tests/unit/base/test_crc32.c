/*
 * test_crc32.c: CRC-32 and CRC-32C known answers (the "123456789" check
 * values, RFC 3720 vectors), incremental use, and the hardware CRC-32C path
 * agreeing with the portable tables at every length and alignment.
 */
#include "../test.h"

#include "../../../src/base/crc32.h"

TEST(crc32_known_answers)
{
    CHECK_EQ(fl_crc32(0, "123456789", 9), 0xCBF43926u);
    CHECK_EQ(fl_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
    CHECK_EQ(fl_crc32(0, "", 0), 0);
    CHECK_EQ(fl_crc32(0, "a", 1), 0xE8B7BE43u);
}

TEST(crc32c_known_answers)
{
    CHECK_EQ(fl_crc32c(0, "123456789", 9), 0xE3069283u);
    CHECK_EQ(fl_crc32c_portable(0, "123456789", 9), 0xE3069283u);
    unsigned char zeros[32] = {0}, ones[32], inc[32], dec[32];
    for (int i = 0; i < 32; i++) {
        ones[i] = 0xff;
        inc[i] = (unsigned char)i;
        dec[i] = (unsigned char)(31 - i);
    }
    /* RFC 3720, appendix B.4 */
    CHECK_EQ(fl_crc32c(0, zeros, 32), 0x8A9136AAu);
    CHECK_EQ(fl_crc32c(0, ones, 32), 0x62A8AB43u);
    CHECK_EQ(fl_crc32c(0, inc, 32), 0x46DD794Eu);
    CHECK_EQ(fl_crc32c(0, dec, 32), 0x113FDB5Cu);
    CHECK_EQ(fl_crc32c_portable(0, inc, 32), 0x46DD794Eu);
    CHECK_EQ(fl_crc32c(0, "", 0), 0);
}

TEST(crc_incremental_and_paths_agree)
{
    unsigned char data[1100];
    uint32_t s = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        s = s * 1664525u + 1013904223u;
        data[i] = (unsigned char)(s >> 24);
    }
    int bad = 0;
    for (size_t off = 0; off < 9; off++) {
        for (size_t len = 0; len + off <= sizeof data; len += (len < 80 ? 1 : 37)) {
            uint32_t whole32 = fl_crc32(0, data + off, len);
            uint32_t whole = fl_crc32c(0, data + off, len);
            if (whole != fl_crc32c_portable(0, data + off, len)) bad++;
            size_t cut = len / 3;
            if (fl_crc32c(fl_crc32c(0, data + off, cut), data + off + cut, len - cut) != whole) bad++;
            if (fl_crc32c_portable(fl_crc32c_portable(0, data + off, cut), data + off + cut,
                                   len - cut) != whole)
                bad++;
            if (fl_crc32(fl_crc32(0, data + off, cut), data + off + cut, len - cut) != whole32) bad++;
        }
    }
    CHECK_EQ(bad, 0);
}
