import Foundation
import Learning
import ModelFormat

/// How a bundle's segments follow the previous bundle's: which kept their number, which are
/// new, which vanished, how far each centre moved and how the shares changed. Stored in the
/// manifest's metrics as `segmentLineage`; `trainer inspect` and the report show it.
package struct SegmentLineage: Sendable, Hashable, Codable {
    /// The bundle followed; nil for a segmentation numbered afresh without one.
    package var previousBundleId: String?
    /// Numbered afresh on request (`--renumber`) although a previous bundle was there.
    package var renumbered: Bool
    /// The highest segment number ever used in this lineage: a new segment gets the next one,
    /// so a number never comes back with another meaning.
    package var highestNumber: Int
    /// This bundle's segments, by number (insufficient data, 0, first).
    package var segments: [Segment]
    /// The previous bundle's segments no segment of this one matched.
    package var vanished: [Vanished]

    package struct Segment: Sendable, Hashable, Codable {
        package var number: Int
        /// True when the number was taken over from the previous bundle's segment.
        package var kept: Bool
        /// Root mean square difference between this centre and the matched previous centre
        /// (for a new segment: the nearest previous centre), in population standard deviations
        /// over the features both bundles have; nil without a previous bundle and for 0.
        package var distance: Double?
        package var populationShareBefore: Double?
        package var populationShareNow: Double
        package var customerShareBefore: Double?
        package var customerShareNow: Double
    }

    package struct Vanished: Sendable, Hashable, Codable {
        package var number: Int
        /// Distance to the nearest centre of this bundle.
        package var distance: Double
        package var populationShareBefore: Double?
        package var customerShareBefore: Double?
    }
}

/// Numbers a fitted segmentation: afresh, or following the previous bundle.
///
/// Following: each new centre and each previous centre is taken back to the features' own
/// units (un-standardised with its bundle's cleaning transform, since two bundles may keep
/// other columns and scale them differently), and compared over the features both bundles
/// have, in the new bundle's standard deviations. The one-to-one assignment of least total
/// distance (``OptimalAssignment``, the Hungarian algorithm) pairs them; a pair is accepted
/// when the previous centre is the new centre's nearest previous centre, i.e. the new segment
/// lies in the previous segment's Voronoi cell (a segment split in two keeps its number on
/// the closer half; the other half, nearest the same previous centre, is new). Accepted pairs
/// keep the previous number, other new segments get numbers above the lineage's highest, and
/// previous segments left without an accepted pair are listed as vanished.
///
/// Afresh: numbers 1...k by population share, largest first (ties: centroid order), so that
/// the same partition gets the same numbers whatever the order k-means found it in.
package enum SegmentNumbering {
    /// What a previous bundle contributes.
    package struct Previous: Sendable {
        package var model: ScoringModel
        /// The previous run's metrics (``ModelBundle/reportMetrics()``): its segment table and lineage.
        package var metrics: [String: JSONValue]

        /// `metrics` defaults to the manifest's, where bundles before format 1.2 kept them.
        package init(model: ScoringModel, metrics: [String: JSONValue]? = nil) {
            self.model = model
            self.metrics = metrics ?? model.manifest.metrics
        }
    }

    package static func number(
        model: SegmentModel, transform: CleaningTransform, table: SegmentTable, previous: Previous?, renumber: Bool
    ) -> (numbers: SegmentNumbers, lineage: SegmentLineage) {
        let k = model.clusterCount
        let rowOfCluster = Dictionary(table.rows.map { ($0.cluster, $0) }, uniquingKeysWith: { a, _ in a })
        let share = (0..<k).map { rowOfCluster[$0]?.populationShare ?? 0 }
        let highestBefore = previous.map(previousHighest) ?? 0

        guard let previous, !renumber else {
            let fresh = self.fresh(populationShares: share)
            return (fresh, lineage(
                numbers: fresh, table: table, previous: previous, renumbered: previous != nil, highest: k,
                distances: [Double?](repeating: nil, count: k), kept: [Bool](repeating: false, count: k), vanished: []))
        }

        let old = previous.model
        let distances = centreDistances(
            new: (model, transform), old: (old.segments, old.transform))  // [old][new]
        let assignment = OptimalAssignment.solve(distances)
        var numbers = [Int](repeating: 0, count: k)
        var kept = [Bool](repeating: false, count: k)
        var matchDistance = [Double?](repeating: nil, count: k)
        var matchedOld = Set<Int>()
        for (o, assigned) in assignment.enumerated() {
            guard let n = assigned else { continue }
            let nearest = distances.indices.min { distances[$0][n] < distances[$1][n] || (distances[$0][n] == distances[$1][n] && $0 < $1) }!
            if distances[nearest][n] >= distances[o][n] {
                numbers[n] = old.segmentNumbers.number(ofSegment: o)
                kept[n] = true
                matchDistance[n] = distances[o][n]
                matchedOld.insert(o)
            }
        }
        var highest = max(highestBefore, numbers.max() ?? 0)
        let unmatched = (0..<k).filter { !kept[$0] }.sorted { share[$0] > share[$1] || (share[$0] == share[$1] && $0 < $1) }
        for n in unmatched {
            highest += 1
            numbers[n] = highest
            matchDistance[n] = distances.map { $0[n] }.min()
        }
        let previousShares = self.previousShares(previous)
        let vanished = (0..<old.segments.clusterCount).filter { !matchedOld.contains($0) }.map { o in
            let number = old.segmentNumbers.number(ofSegment: o)
            return SegmentLineage.Vanished(
                number: number, distance: distances[o].min() ?? .nan,
                populationShareBefore: previousShares[number]?.population, customerShareBefore: previousShares[number]?.customers)
        }.sorted { $0.number < $1.number }
        let result = SegmentNumbers(numbers: numbers)
        return (result, lineage(
            numbers: result, table: table, previous: previous, renumbered: false, highest: highest,
            distances: matchDistance, kept: kept, vanished: vanished))
    }

    /// Numbers 1...k by population share, largest first (ties: centroid order).
    package static func fresh(populationShares share: [Double]) -> SegmentNumbers {
        let order = share.indices.sorted { share[$0] > share[$1] || (share[$0] == share[$1] && $0 < $1) }
        var numbers = [Int](repeating: 0, count: share.count)
        for (position, cluster) in order.enumerated() { numbers[cluster] = position + 1 }
        return SegmentNumbers(numbers: numbers)
    }

    private static func lineage(
        numbers: SegmentNumbers, table: SegmentTable, previous: Previous?, renumbered: Bool, highest: Int,
        distances: [Double?], kept: [Bool], vanished: [SegmentLineage.Vanished]
    ) -> SegmentLineage {
        let before = previous.map(previousShares) ?? [:]
        let segments = table.rows.map { row -> SegmentLineage.Segment in
            let number = numbers.number(ofSegment: row.cluster)
            let isCluster = row.cluster < numbers.clusterCount
            let keptNumber = isCluster ? kept[row.cluster] : previous != nil
            let then = keptNumber ? before[number] : nil
            return SegmentLineage.Segment(
                number: number, kept: keptNumber, distance: isCluster ? distances[row.cluster] : nil,
                populationShareBefore: then?.population, populationShareNow: row.populationShare,
                customerShareBefore: then?.customers, customerShareNow: row.customerShare)
        }.sorted { $0.number < $1.number }
        return SegmentLineage(
            previousBundleId: previous?.model.bundleId, renumbered: renumbered, highestNumber: highest,
            segments: segments, vanished: vanished)
    }

    /// Distances between every centre of `old` (rows) and of `new` (columns): root mean square
    /// difference in `new`'s standard deviations over the features both transforms make.
    static func centreDistances(
        new: (model: SegmentModel, transform: CleaningTransform), old: (model: SegmentModel, transform: CleaningTransform)
    ) -> [[Double]] {
        let oldIndex = Dictionary(old.transform.features.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let shared: [(new: Int, old: Int)] = new.transform.features.enumerated().compactMap { j, spec in
            guard let o = oldIndex[spec.name], spec.scale > 0, spec.scale.isFinite else { return nil }
            return (j, o)
        }
        func units(_ side: (model: SegmentModel, transform: CleaningTransform), _ cluster: Int, _ pick: (Int, Int) -> Int) -> [Double] {
            let back = side.model.standardisedCentroid(cluster)
            return shared.map { pair in
                let j = pick(pair.new, pair.old)
                let spec = side.transform.features[j]
                return spec.mean + back[j] * spec.scale
            }
        }
        let newCentres = (0..<new.model.clusterCount).map { units(new, $0) { n, _ in n } }
        let oldCentres = (0..<old.model.clusterCount).map { units(old, $0) { _, o in o } }
        let scales = shared.map { new.transform.features[$0.new].scale }
        return oldCentres.map { a in
            newCentres.map { b in
                guard !scales.isEmpty else { return 0 }
                var sum = 0.0
                for j in scales.indices {
                    let difference = (a[j] - b[j]) / scales[j]
                    sum += difference * difference
                }
                return (sum / Double(scales.count)).squareRoot()
            }
        }
    }

    /// Population and customer share of each previous segment number, from its metrics.
    static func previousShares(_ previous: Previous) -> [Int: (population: Double, customers: Double)] {
        let model = previous.model
        guard case .object(let segmentation)? = previous.metrics["segmentation"],
              case .object(let table)? = segmentation["table"], case .array(let rows)? = table["rows"] else { return [:] }
        var shares: [Int: (population: Double, customers: Double)] = [:]
        for row in rows {
            guard case .object(let fields) = row, case .number(let population)? = fields["populationShare"],
                  case .number(let customers)? = fields["customerShare"] else { continue }
            // Bundles written before segment numbers: the number is the centroid row + 1, 0 for the last.
            var number: Int? = nil
            if case .number(let n)? = fields["number"] { number = Int(n) }
            else if case .number(let s)? = fields["segment"] { number = model.segmentNumbers.number(ofSegment: Int(s)) }
            if let number { shares[number] = (population, customers) }
        }
        return shares
    }

    /// The highest number the previous bundle's lineage used.
    static func previousHighest(_ previous: Previous) -> Int {
        var highest = previous.model.segmentNumbers.numbers.max() ?? 0
        if case .object(let lineage)? = previous.metrics["segmentLineage"],
           case .number(let recorded)? = lineage["highestNumber"] {
            highest = max(highest, Int(recorded))
        }
        return highest
    }
}
