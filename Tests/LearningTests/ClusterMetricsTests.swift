import Testing
@testable import Learning
import ModelFormat
import Numerics

@Suite struct ClusterMetricsTests {
    @Test func adjustedRandIndexKnownValues() {
        // Renaming labels does not matter.
        #expect(ClusterMetrics.adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) == 1)
        // By hand: contingency cells {2, 1, 1} → Σ C(nij,2) = 1; rows Σ C(ai,2) = 1; columns Σ C(bj,2) = 2;
        // C(4,2) = 6; expected = 1·2/6 = 1/3; max = 3/2; ARI = (1 - 1/3) / (3/2 - 1/3) = 4/7.
        #expect(abs(ClusterMetrics.adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) - 4.0 / 7.0) < 1e-15)
        // scikit-learn adjusted_rand_score: -0.5 and -0.037037037037037035.
        #expect(abs(ClusterMetrics.adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-15)
        #expect(abs(ClusterMetrics.adjustedRandIndex([0, 0, 0, 1, 1, 1, 2, 2, 2], ["a", "a", "b", "b", "c", "c", "c", "a", "b"])
                    - -0.037037037037037035) < 1e-15)
    }

    @Test func spearmanWithTiesMatchesScipy() {
        // scipy 1.17: spearmanr(x, y).statistic
        let x: [Double] = [1, 2, 2, 3, 4, 4, 4, 5, 6, 1.5]
        let y: [Double] = [2, 1, 3, 3, 5, 4, 6, 6, 7, 0]
        #expect(abs(ClusterMetrics.spearman(x, y) - 0.9257365248800182) < 1e-14)
        let x2: [Double] = [10, 20, 20, 20, 30, 40, 40, 50], y2: [Double] = [8, 7, 7, 6, 5, 5, 4, 1]
        #expect(abs(ClusterMetrics.spearman(x2, y2) - -0.962900097473951) < 1e-14)
        #expect(ClusterMetrics.averageRanks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
    }

    @Test func silhouetteMatchesScikitLearn() {
        // sklearn.metrics.silhouette_score(P, L) = 0.6479077229984785
        let points = Matrix([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5], [6, 6], [2.5, 2.5], [10, 0]])
        let labels: [Int32] = [0, 0, 0, 1, 1, 1, 1, 0, 2]
        #expect(abs(Silhouette.score(points, labels: labels) - 0.6479077229984785) < 1e-6)  // distances kept in Float
    }

    @Test func sampledRowsAreDistinctSortedAndSeeded() {
        let sample = Silhouette.sampleRows(count: 1000, size: 100, seed: 5)
        #expect(sample.count == 100 && Set(sample).count == 100)
        #expect(sample == sample.sorted() && sample.allSatisfy { (0..<1000).contains($0) })
        #expect(sample == Silhouette.sampleRows(count: 1000, size: 100, seed: 5))
        #expect(sample != Silhouette.sampleRows(count: 1000, size: 100, seed: 6))
        #expect(Silhouette.sampleRows(count: 5, size: 10, seed: 1) == [0, 1, 2, 3, 4])
    }
}
