/// Keeps the prospects a plan mails, in bounded memory whatever the file size: a top-N heap
/// when the count is bounded (`--top N`, `--budget`: N = budget / cost), an external sort when
/// it is not (`--min-profit` mails everyone above break-even, however many).
package final class MailingSelector {
    package let options: PlanOptions
    private var heap: TopHeap?
    private var sorter: ExternalSorter?

    package init(options: PlanOptions, runLength: Int = 1 << 18, temporaryDirectory: String) {
        self.options = options
        if let limit = options.mailLimit {
            heap = TopHeap(capacity: limit)
        } else {
            sorter = ExternalSorter(runLength: runLength, directory: temporaryDirectory)
        }
    }

    /// Temporary run files written (0 with a heap, or when everything fitted in memory).
    package var runCount: Int { sorter?.runCount ?? 0 }

    package func offer(_ candidate: Candidate) throws {
        guard options.isCandidate(candidate.probability) else { return }
        if heap != nil { heap!.offer(candidate) } else { try sorter!.add(candidate) }
    }

    /// Calls `body` with every prospect to mail, best first.
    package func forEachSelected(_ body: (Candidate) throws -> Void) throws {
        if let heap {
            for candidate in heap.sorted() { try body(candidate) }
        } else {
            try sorter!.forEachSorted(body)
        }
    }
}
