#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts a large worksheet's XML into two well-formed documents at a `<row>` boundary, so the
/// two halves can be parsed on two cores when a whole ``Worksheet`` is wanted anyway.
///
/// The first half is the original up to the cut, closed with `</sheetData></root>`; the second
/// is the original prolog and root start tag through `<sheetData>` (so namespace declarations
/// still hold) followed by the rest from the cut. Only plain layouts are cut: the row at the
/// cut must carry its `r` number (a row without one counts from the row before it), and the
/// sheet data may hold no comments or CDATA (where `<row` could be text); otherwise nil.
enum SheetSplitter {
    struct Halves {
        var first: [UInt8]
        var second: [UInt8]
    }

    static func split(_ bytes: [UInt8]) -> Halves? {
        bytes.withUnsafeBufferPointer { buffer -> Halves? in
            guard let dataOpen = find("<sheetData", in: buffer, from: 0),
                let dataOpenEnd = find(">", in: buffer, from: dataOpen),
                buffer[dataOpenEnd - 1] != UInt8(ascii: "/"),
                let dataClose = findLast("</sheetData>", in: buffer),
                dataClose > dataOpenEnd,
                let rootName = rootElementName(buffer)
            else { return nil }
            let bodyStart = dataOpenEnd + 1
            guard find("<!", in: buffer, from: bodyStart, to: dataClose) == nil else { return nil }

            var cut = bodyStart + (dataClose - bodyStart) / 2
            while true {
                guard let row = find("<row", in: buffer, from: cut, to: dataClose) else { return nil }
                let next = buffer[row + 4]
                if next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D {
                    cut = row
                    break
                }
                cut = row + 4
            }
            guard let tagEnd = find(">", in: buffer, from: cut, to: dataClose),
                find(" r=\"", in: buffer, from: cut, to: tagEnd) != nil
            else { return nil }

            var first = Array(buffer[..<cut])
            first.append(contentsOf: "</sheetData></".utf8)
            first.append(contentsOf: rootName)
            first.append(UInt8(ascii: ">"))
            var second = Array(buffer[..<bodyStart])
            second.append(contentsOf: buffer[cut...])
            return Halves(first: first, second: second)
        }
    }

    /// The root element's qualified name, from the first tag that is not `<?` or `<!`.
    private static func rootElementName(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var i = 0
        while let open = find("<", in: buffer, from: i) {
            let next = open + 1
            guard next < buffer.count else { return nil }
            if buffer[next] == UInt8(ascii: "?") || buffer[next] == UInt8(ascii: "!") {
                i = next
                continue
            }
            var end = next
            while end < buffer.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(buffer[end]) {
                end += 1
            }
            return end > next ? Array(buffer[next..<end]) : nil
        }
        return nil
    }

    /// First occurrence of `needle` in `buffer[start..<end]`, skipping ahead with libc's
    /// vectorised `memchr` to each candidate first byte.
    private static func find(
        _ needle: StaticString, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int? = nil
    ) -> Int? {
        let limit = end ?? buffer.count
        let count = needle.utf8CodeUnitCount
        let pattern = needle.utf8Start
        guard let base = buffer.baseAddress, start >= 0, count > 0 else { return nil }
        var i = start
        while limit - i >= count {
            guard let hit = memchr(base + i, Int32(pattern[0]), limit - i - count + 1) else { return nil }
            i = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if memcmp(base + i, pattern, count) == 0 { return i }
            i += 1
        }
        return nil
    }

    private static func findLast(_ needle: StaticString, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = needle.utf8CodeUnitCount
        let pattern = needle.utf8Start
        var i = buffer.count - count
        while i >= 0 {
            if buffer[i] == pattern[0] {
                var k = 1
                while k < count && buffer[i + k] == pattern[k] { k += 1 }
                if k == count { return i }
            }
            i -= 1
        }
        return nil
    }
}
