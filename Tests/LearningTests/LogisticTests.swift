import Foundation
import ModelFormat
import Numerics
import Testing
@testable import Learning

/// 16 rows, 3 features, two missing values.
private let features = Matrix([
    [1, 2, 0.5], [2, 1, 1.5], [3, 4, .nan], [4, 3, 2.0], [5, 5, 0.0], [6, 2, 3.5], [2, 6, 1.0], [3, 3, 2.5],
    [7, 1, 0.5], [1, 5, .nan], [8, 4, 3.0], [5, 1, 1.0], [6, 6, 2.0], [4, 2, 0.0], [7, 3, 4.0], [2, 4, 1.5],
])
private let labels: [UInt8] = [0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1]

@Test func logisticMatchesScikitLearn() throws {
    // scikit-learn 1.9.1 (numpy 2.4.6):
    //   Z = StandardScaler().fit_transform(SimpleImputer(strategy="mean").fit_transform(X))
    //   m = LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(Z, y)
    //   m.coef_[0] = [0.9141589858894076, 0.4123823731162877, 0.2660219864159708]
    //   m.intercept_[0] = 0.03330463922247456
    var parameters = LogisticParameters()
    parameters.c = 0.5
    parameters.tolerance = 1e-12
    let model = try LogisticRegression(parameters: parameters).fit(features, labels: labels)
    let reference = [0.9141589858894076, 0.4123823731162877, 0.2660219864159708]
    for (w, r) in zip(model.weights, reference) { #expect(abs(w - r) < 1e-6) }
    #expect(abs(model.intercept - 0.03330463922247456) < 1e-6)
}

@Test func logisticImputesMissingWithTheMean() throws {
    let model = try LogisticRegression().fit(features, labels: labels)
    let mean2 = (0.5 + 1.5 + 2.0 + 0.0 + 3.5 + 1.0 + 2.5 + 0.5 + 3.0 + 1.0 + 2.0 + 0.0 + 4.0 + 1.5) / 14
    #expect(abs(model.means[2] - mean2) < 1e-12)
    #expect(model.probability([3, 4, .nan]) == model.probability([3, 4, model.means[2]]))
    #expect(model.probability([8, 6, 4]) > model.probability([1, 1, 0]))
}

@Test func logisticIsDeterministicAndCrossValidates() throws {
    let a = try LogisticRegression().fit(features, labels: labels)
    let b = try LogisticRegression().fit(features, labels: labels)
    #expect(a == b)
    let cv = try CrossValidation.logistic(features, labels: labels, folds: StratifiedKFold(folds: 2, seed: 1))
    #expect(cv.report.foldAUC.count == 2)
    #expect(cv.report.outOfFold.allSatisfy { $0 > 0 && $0 < 1 })
    // The final fit starts from the last fold's model: the same optimum as a cold start, up
    // to where the iterations stop within the tolerance.
    #expect(cv.model.means == a.means && cv.model.scales == a.scales)
    for (warm, cold) in zip(cv.model.weights + [cv.model.intercept], a.weights + [a.intercept]) {
        #expect(abs(warm - cold) < 1e-6)
    }
    let again = try CrossValidation.logistic(features, labels: labels, folds: StratifiedKFold(folds: 2, seed: 1))
    #expect(again.model == cv.model)
}

@Test("a warm start carried over from another scaling reaches the cold start's optimum")
func logisticWarmStartReachesTheSameOptimum() throws {
    let cold = try LogisticRegression().fit(features, labels: labels)
    // A model on other means and scales whose score is far from the optimum's.
    let far = LogisticModel(means: [0, 100, -3], scales: [10, 0.5, 4], weights: [3, -2, 5], intercept: -7)
    let warm = try LogisticRegression().fit(features, labels: labels, warmStart: far)
    for (w, c) in zip(warm.weights + [warm.intercept], cold.weights + [cold.intercept]) {
        #expect(abs(w - c) < 1e-6)
    }
    // Started at the optimum itself (its own scaling), it stays there.
    let settled = try LogisticRegression().fit(features, labels: labels, warmStart: cold)
    for (w, c) in zip(settled.weights + [settled.intercept], cold.weights + [cold.intercept]) {
        #expect(abs(w - c) < 1e-9)
    }
}
