#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds where a large worksheet can be cut in two, so ``SheetScanner`` can read the halves on
/// two cores when a whole ``Worksheet`` is wanted anyway.
///
/// The cut is the `<row` start tag nearest the middle of the sheet data; the halves share the
/// one buffer. Nothing here is trusted: the head's scan must end exactly at the cut with the
/// root and `<sheetData>` open (so the cut is no `<row` inside a comment, CDATA or a string),
/// and the tail's first row must carry its `r` number; otherwise the part is read in one pass.
enum SheetSplitter {
    struct Cut {
        /// Where the tail starts: the `<` of a row's start tag.
        var offset: Int
        /// The qualified names of the root and of `sheetData`, open at the cut.
        var openElements: [SheetScanner.Span]
    }

    static func cut(_ buffer: UnsafeBufferPointer<UInt8>) -> Cut? {
        guard let root = rootElementName(buffer),
            let dataName = find("sheetData", in: buffer, from: root.start + root.count),
            dataName > 0
        else { return nil }
        // The sheetData tag's own `<`, before any prefix.
        var open = dataName - 1
        if buffer[open] == UInt8(ascii: ":") {
            while open > 0, buffer[open] != UInt8(ascii: "<") && !isSpace(buffer[open]) { open -= 1 }
        }
        guard buffer[open] == UInt8(ascii: "<"), let dataOpenEnd = find(">", in: buffer, from: dataName),
            buffer[dataOpenEnd - 1] != UInt8(ascii: "/")
        else { return nil }
        let dataSpan = SheetScanner.Span(start: open + 1, count: dataName + 9 - (open + 1))
        let prefix = Array(buffer[(open + 1)..<dataName])
        let bodyStart = dataOpenEnd + 1
        var cut = bodyStart + (buffer.count - bodyStart) / 2
        while true {
            guard let tag = find("<", in: buffer, from: cut) else { return nil }
            let name = tag + 1
            if name + prefix.count + 4 <= buffer.count, buffer[name..<(name + prefix.count)].elementsEqual(prefix),
                buffer[name + prefix.count] == UInt8(ascii: "r"), buffer[name + prefix.count + 1] == UInt8(ascii: "o"),
                buffer[name + prefix.count + 2] == UInt8(ascii: "w"),
                isSpace(buffer[name + prefix.count + 3]) || buffer[name + prefix.count + 3] == UInt8(ascii: ">")
            {
                return Cut(offset: tag, openElements: [root, dataSpan])
            }
            cut = name
        }
    }

    /// The root element's qualified name, from the first tag that is not `<?` or `<!`.
    private static func rootElementName(_ buffer: UnsafeBufferPointer<UInt8>) -> SheetScanner.Span? {
        var i = 0
        while let open = find("<", in: buffer, from: i) {
            let next = open + 1
            guard next < buffer.count else { return nil }
            if buffer[next] == UInt8(ascii: "?") || buffer[next] == UInt8(ascii: "!") {
                i = next
                continue
            }
            var end = next
            while end < buffer.count, !isSpace(buffer[end]), buffer[end] != UInt8(ascii: ">"),
                buffer[end] != UInt8(ascii: "/")
            {
                end += 1
            }
            return end > next ? SheetScanner.Span(start: next, count: end - next) : nil
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
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
}
