/// Non-numeric tokens found in a numeric column (`X`, `XX` in CAMEO_DEUG_2015), kept aside
/// so the cleaning step can decide what they mean and report how often they occur.
///
/// Rows carrying a token are also set in the column's missing mask: as numbers they are absent.
public struct SpecialTokens: Sendable, Equatable {
    /// Distinct tokens, sorted by UTF-8 bytes.
    public let tokens: [String]
    /// Occurrences of each token, parallel to ``tokens``.
    public let counts: [Int]
    /// Rows carrying a token, ascending.
    public let rows: [Int32]
    /// Index into ``tokens`` for each entry of ``rows``.
    public let codes: [UInt16]

    /// Tokens from their distinct values and, per occurrence, its row and index into
    /// `tokens`; the counts are worked out here.
    public init(tokens: [String], rows: [Int32], codes: [UInt16]) {
        self.tokens = tokens
        self.rows = rows
        self.codes = codes
        var counts = [Int](repeating: 0, count: tokens.count)
        for code in codes { counts[Int(code)] += 1 }
        self.counts = counts
    }

    /// No tokens: the value of every column that had none.
    public static let none = SpecialTokens(tokens: [], rows: [], codes: [])

    /// True when no row carries a token.
    public var isEmpty: Bool { rows.isEmpty }

    /// Occurrences of `token`, 0 if it never occurs.
    public func count(of token: String) -> Int {
        tokens.firstIndex(of: token).map { counts[$0] } ?? 0
    }

    /// The token at `row`, if that row carries one (binary search).
    public func token(atRow row: Int) -> String? {
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if Int(rows[mid]) < row { low = mid + 1 } else { high = mid }
        }
        guard low < rows.count, Int(rows[low]) == row else { return nil }
        return tokens[Int(codes[low])]
    }

    /// Bytes held (rows, codes and the tokens' UTF-8), for memory reports.
    public var byteCount: Int { rows.count * 6 + tokens.reduce(0) { $0 + $1.utf8.count } }
}
