/// Integer and probability formatting straight into a byte buffer, no Strings.
enum ByteFormatting {
    /// Writes `value` in decimal at `out`, returns the byte count.
    @inline(__always)
    static func writeInteger(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value
        var n = 0
        if v < 0 {
            out[0] = UInt8(ascii: "-")
            n = 1
            v = -v
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            for i in 0..<count { out[n + i] = d[count - 1 - i] }
        }
        return n + count
    }

    /// Writes a probability in [0, 1] with six decimals (`0.012345`), returns the byte count.
    @inline(__always)
    static func writeProbability(_ p: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let micro = Int((min(max(p, 0), 1) * 1_000_000).rounded())
        if micro >= 1_000_000 {
            for (i, b) in "1.000000".utf8.enumerated() { out[i] = b }
            return 8
        }
        out[0] = UInt8(ascii: "0")
        out[1] = UInt8(ascii: ".")
        var v = micro
        for i in stride(from: 7, through: 2, by: -1) {
            out[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        return 8
    }
}
