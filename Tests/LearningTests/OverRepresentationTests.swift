import Testing
@testable import Learning

@Suite struct OverRepresentationTests {
    @Test func ratiosAreCustomerShareOverPopulationShare() {
        // Population shares 2/6, 3/6, 1/6, 0; customer shares 1/4, 2/4, 1/4, 0.
        let ratios = OverRepresentation.ratios(
            populationSegments: [0, 0, 1, 1, 1, 2], customerSegments: [1, 1, 2, 0], segmentCount: 4)
        #expect(abs(ratios[0] - 0.75) < 1e-15)
        #expect(ratios[1] == 1)
        #expect(abs(ratios[2] - 1.5) < 1e-15)
        #expect(ratios[3] == 1)  // empty on both sides
        #expect(OverRepresentation.ratios(populationSegments: [0], customerSegments: [1], segmentCount: 2)[1] == .infinity)
    }

    // True segments 0, 1, 2 with ratios 0.5, 2, 1; clusters: segment 0 mostly in cluster 1,
    // segment 1 in cluster 0, segment 2 mostly in cluster 2.
    static let trueSegments = [0, 0, 0, 1, 1, 2, 2, 2]
    static let clusters = [1, 1, 0, 0, 0, 2, 2, 1]
    static let trueRatios = [0.5, 2.0, 1.0]

    @Test func dominantClusterTakesTheLowerOnTies() {
        #expect(OverRepresentation.dominantCluster(trueSegments: Self.trueSegments, clusters: Self.clusters, trueCount: 4, clusterCount: 3)
                == [1, 0, 2, nil])
        #expect(OverRepresentation.dominantCluster(trueSegments: [0, 0, 1, 1], clusters: [2, 1, 1, 1], trueCount: 2, clusterCount: 3)
                == [1, 1])
    }

    @Test func rankCorrelationOverTrueSegmentsByHand() {
        // Fitted ratios of the dominant clusters: [0.4, 3.0, 1.1] against [0.5, 2, 1]: same order.
        #expect(OverRepresentation.rankCorrelationOverTrueSegments(
            trueSegments: Self.trueSegments, clusters: Self.clusters, trueRatios: Self.trueRatios,
            clusterRatios: [3.0, 0.4, 1.1]) == 1)
        // [0.4, 1.0, 3.0]: ranks (1, 2, 3) against (1, 3, 2): 1 - 6·2 / (3·8) = 0.5.
        #expect(abs(OverRepresentation.rankCorrelationOverTrueSegments(
            trueSegments: Self.trueSegments, clusters: Self.clusters, trueRatios: Self.trueRatios,
            clusterRatios: [1.0, 0.4, 3.0]) - 0.5) < 1e-15)
    }

    @Test func rankCorrelationOverClustersByHand() {
        // Implied ratios: cluster 0 holds (0, 1, 1) → 4.5 / 3 = 1.5; cluster 1 (0, 0, 2) → 2 / 3;
        // cluster 2 (2, 2) → 1. Fitted [1.0, 0.4, 3.0]: ranks (2, 1, 3) against (3, 1, 2) → 0.5.
        #expect(abs(OverRepresentation.rankCorrelationOverClusters(
            trueSegments: Self.trueSegments, clusters: Self.clusters, trueRatios: Self.trueRatios,
            clusterRatios: [1.0, 0.4, 3.0]) - 0.5) < 1e-15)
        // A cluster without members is left out: only clusters 0 and 2 count here.
        #expect(OverRepresentation.rankCorrelationOverClusters(
            trueSegments: [0, 1], clusters: [0, 2], trueRatios: [0.5, 2.0], clusterRatios: [0.1, 99, 0.2]) == 1)
    }
}
