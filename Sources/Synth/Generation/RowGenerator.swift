import Foundation

/// Draws people of one population: segment, traits, missing pattern and column values.
final class RowGenerator {
    let columns: CompiledColumns
    let population: Population
    let response: ResponseModel
    private let segmentCumulative: [Double]
    private let segmentMeans: [Double]  // segment * traitCount + trait
    private let responseOffsets: [Double]
    private let unitCount: Int
    private let sparseShare: Double

    // Per-row scratch, reused.
    let traits: UnsafeMutablePointer<Double>
    let scores: UnsafeMutablePointer<Double>
    let values: UnsafeMutablePointer<Int32>
    private let unitUniform: UnsafeMutablePointer<Double>

    init(model: SynthModel, population: Population) {
        columns = model.compiled
        self.population = population
        response = model.response
        var cumulative: [Double] = []
        var sum = 0.0
        for s in model.latent.segments {
            switch population {
            case .azdias: sum += s.populationShare
            case .customers: sum += s.customerShare
            case .mailout: sum += s.mailoutShare
            }
            cumulative.append(sum)
        }
        segmentCumulative = cumulative.map { $0 / sum }
        segmentMeans = model.latent.segments.flatMap(\.traitMeans)
        responseOffsets = model.latent.segments.map(\.responseOffset)
        unitCount = model.missing.unitNames.count
        sparseShare = model.missing.sparseShare[population.rawValue]
        traits = .allocate(capacity: LatentModel.traitCount)
        scores = .allocate(capacity: columns.count)
        values = .allocate(capacity: columns.count)
        unitUniform = .allocate(capacity: max(1, unitCount))
        values.initialize(repeating: -1, count: columns.count)
        scores.initialize(repeating: 0, count: columns.count)
    }

    deinit {
        traits.deallocate()
        scores.deallocate()
        values.deallocate()
        unitUniform.deallocate()
    }

    /// Draws one person and fills `values` for the given columns (in order; a column
    /// that reuses another's score must come after it). Returns the segment.
    @inline(__always)
    func drawRow(_ random: inout SynthRandom, columns wanted: UnsafeBufferPointer<Int32>) -> Int {
        let c = columns
        let traitCount = LatentModel.traitCount
        // Segment and traits.
        let u = random.uniform()
        var segment = 0
        while segment < segmentCumulative.count - 1 && u >= segmentCumulative[segment] { segment += 1 }
        for d in 0..<traitCount {
            traits[d] = segmentMeans[segment * traitCount + d] + LatentModel.withinSpread * random.normal()
        }
        // Missing pattern.
        let sparse = random.uniform() < sparseShare
        let rowUniform = random.uniform()
        for i in 0..<unitCount { unitUniform[i] = random.uniform() }
        let p = population.rawValue
        // Plain locals: the loop below runs for every cell of every file.
        let special = c.special, unitOf = c.unit, sparseRate = c.sparseRate, denseRate = c.denseRate
        let scoreSource = c.scoreSource, mapStarts = c.mapStart, maps = c.maps
        let orderedCounts = c.orderedCount, rareCounts = c.rareCount, rareStarts = c.rareStart
        let rareCumulative = c.rareCumulative, noise = c.noise, loadings = c.loadings
        let thresholds = c.thresholds, thresholdStart = c.thresholdStart
        let values = self.values, scores = self.scores, traits = self.traits, unitUniform = self.unitUniform

        for j32 in wanted {
            let j = Int(j32)
            if special[j] != CompiledColumns.ordinary { continue }
            let unit = Int(unitOf[j])
            if unit >= 0 {
                let missing = sparse ? rowUniform < sparseRate[j * 3 + p] : unitUniform[unit] < denseRate[j * 3 + p]
                if missing {
                    values[j] = -1
                    continue
                }
            }
            let source = Int(scoreSource[j])
            let mapStart = Int(mapStarts[j])
            if mapStart >= 0 {
                let v = values[source]
                values[j] = v < 0 ? -1 : maps[mapStart + Int(v)]
                continue
            }
            let ordered = Int(orderedCounts[j])
            let rareCount = Int(rareCounts[j])
            let z: Double
            if source >= 0 {
                if values[source] >= orderedCounts[source] && rareCount > 0 {
                    values[j] = Int32(ordered)
                    continue
                }
                z = scores[source]
            } else {
                if rareCount > 0 {
                    let start = Int(rareStarts[j])
                    let r = random.uniform()
                    if r < rareCumulative[start + rareCount - 1] {
                        var k = 0
                        while r >= rareCumulative[start + k] { k += 1 }
                        values[j] = Int32(ordered + k)
                        continue
                    }
                }
                var s = noise[j] * random.normal()
                let loading = loadings + j * traitCount
                for d in 0..<traitCount { s += loading[d] * traits[d] }
                z = s
            }
            scores[j] = z
            values[j] = Int32(Self.bucket(z, thresholds + Int(thresholdStart[j]), ordered - 1))
        }
        return segment
    }

    /// Index of the first threshold above `z` (= count when none is).
    @inline(__always)
    static func bucket(_ z: Double, _ thresholds: UnsafePointer<Double>, _ count: Int) -> Int {
        if count <= 16 {
            var k = 0
            while k < count && z >= thresholds[k] { k += 1 }
            return k
        }
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if z >= thresholds[mid] { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The response score of the row just drawn (see ResponseModel).
    @inline(__always)
    func responseScore(segment: Int) -> Double {
        response.score(segmentOffset: responseOffsets[segment], traits: traits, values: values)
    }

    /// Response scores of `count` mailout-like people from a calibration stream.
    /// Pairs of (observable score, hidden receptiveness).
    static func calibrationScores(model: SynthModel, count: Int) -> [(Double, Double)] {
        let generator = RowGenerator(model: model, population: .mailout)
        var random = SynthRandom(seed: model.seed, stream: 0xCA11B)
        let wanted: [Int32] = [Int32(model.response.sozialesColumn), Int32(model.response.carsColumn)]
        return wanted.withUnsafeBufferPointer { w in
            (0..<count).map { _ in
                let segment = generator.drawRow(&random, columns: w)
                return (generator.responseScore(segment: segment), random.normal())
            }
        }
    }
}
