/// Which of `;` and `,` separates a stream's fields, read from its header line.
enum SeparatorDetection {
    /// The more frequent of the two outside quotes; `;` (the Arvato files' separator) on a tie.
    static func separator(ofHeader bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var semicolons = 0
        var commas = 0
        var quoted = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ";") where !quoted: semicolons += 1
            case UInt8(ascii: ",") where !quoted: commas += 1
            default: break
            }
        }
        return commas > semicolons ? UInt8(ascii: ",") : UInt8(ascii: ";")
    }
}
