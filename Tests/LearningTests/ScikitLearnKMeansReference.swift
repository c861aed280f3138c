import ModelFormat
import Numerics

/// A reference k-means run by scikit-learn 1.9.1, to check Lloyd's iterations against an
/// independent implementation started from the same centres:
///
///     rng = np.random.default_rng(7)
///     X = np.vstack([rng.normal(c, 1.6, size=(30, 2)) for c in [(0, 0), (4, 1), (1, 4)]]).round(2)
///     rng.shuffle(X)
///     KMeans(n_clusters=4, init=X[[0, 1, 2, 3]], n_init=1, tol=tol, max_iter=300, algorithm="lloyd").fit(X)
///
/// Three overlapping blobs cut into four clusters, so the centres move for several iterations.
/// ``seededRuns`` are scikit-learn's own k-means++ with three restarts,
/// `KMeans(n_clusters=4, n_init=3, random_state=seed, tol=1e-4, algorithm="lloyd").fit(X)`, and
/// `kmeans_plusplus(X, 4, random_state=seed)` for the rows its first restart starts from.
enum ScikitLearnKMeansReference {
    static let data = Matrix([
        [3.98, 0.29], [0.25, -0.3], [-0.05, 1.11], [4.06, -0.69], [3.72, 0.67], [2.55, 4.02],
        [-2.41, 5.35], [-0.93, -0.18], [4.42, -0.37], [0.0, 0.48], [-1.03, 3.2], [-2.15, -0.73],
        [1.21, 1.54], [3.07, 0.69], [0.89, 3.56], [0.92, 2.73], [5.12, 1.83], [3.68, -0.78],
        [0.67, 2.99], [0.81, 0.8], [-1.79, 5.21], [-4.03, -0.86], [-1.82, 5.18], [3.96, 2.07],
        [-0.08, 0.18], [1.3, -2.26], [1.93, 1.55], [0.74, 2.44], [-1.96, 0.12], [0.78, 0.57],
        [-2.03, 0.43], [1.14, 3.05], [5.56, 1.31], [2.35, 0.87], [-1.57, -1.29], [3.26, 0.84],
        [-0.35, 5.25], [6.01, 2.1], [0.18, 0.1], [4.56, 0.81], [-0.11, 1.07], [-0.69, 4.54],
        [-2.45, -0.76], [-0.05, 1.42], [1.38, 0.19], [1.7, -1.29], [3.14, 3.19], [0.96, 4.11],
        [4.33, 0.26], [4.2, -0.9], [3.99, 1.93], [3.6, 3.44], [5.04, -2.19], [0.1, 4.01],
        [3.51, -0.44], [1.88, -0.27], [-3.04, -2.06], [-0.81, 4.58], [0.1, 2.14], [-0.73, -1.59],
        [-0.11, 3.48], [0.17, -1.49], [2.3, -1.08], [0.12, 0.92], [1.22, -1.92], [3.25, 1.67],
        [-0.3, 1.09], [3.32, 0.51], [3.46, 2.68], [-0.44, -1.42], [3.0, 6.31], [1.47, 3.95],
        [3.01, 3.75], [5.44, 2.83], [-0.0, 1.96], [4.26, 4.59], [3.48, 0.41], [-0.77, 2.05],
        [2.76, 3.13], [0.4, 3.52], [4.33, 1.79], [2.67, 0.0], [-2.95, -0.38], [0.14, 3.77],
        [3.65, 2.93], [-0.2, 4.73], [5.87, 2.04], [2.17, -2.48], [-0.79, -0.99], [-1.21, 2.71],
    ])
    static let initialRows = [0, 1, 2, 3]

    struct Run {
        var tol: Double
        var iterations: Int
        var inertia: Double
        var labels: String
    }

    static let runs = [
        // Runs to strict convergence (labels unchanged).
        Run(tol: 0, iterations: 7, inertia: 223.7359277777778,
            labels: "311330213121232203212120133211120313201312113302330032331221213130130102002032020312020312"),
        // Stops on the centre shift after 3 iterations, then assigns to the final centres.
        Run(tol: 0.1, iterations: 3, inertia: 229.3112986110583,
            labels: "311330213121232203212120130211120313201012113302330032331221213130130122002032020312020312"),
    ]

    struct SeededRun {
        var seed: UInt64
        var iterations: Int
        var inertia: Double
        var labels: String
        var firstRestartRows: [Int]
    }

    static let seededRuns = [
        SeededRun(seed: 0, iterations: 6, inertia: 223.7359277777778,
                  labels: "022003120212101130121213200122213020132021220031003301002112120203203231331301313021313021",
                  firstRestartRows: [49, 47, 34, 80]),
        // All three restarts end in a worse local minimum than the other seeds find.
        SeededRun(seed: 7, iterations: 4, inertia: 238.54835291826316,
                  labels: "300331203020232233202023003200023303230302000012333132330220203003031012112132123302123002",
                  firstRestartRows: [6, 40, 50, 30]),
        SeededRun(seed: 42, iterations: 9, inertia: 223.7359277777778,
                  labels: "011003210121202230212123100211123010231012110032003302001221210103103132332302323012323012",
                  firstRestartRows: [33, 66, 6, 80]),
    ]
}
