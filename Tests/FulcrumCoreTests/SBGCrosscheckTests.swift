import Testing

@testable import FulcrumCore

/// Fits recorded from crosscheck_sbg.py (scipy Nelder–Mead + L-BFGS-B on log parameters).
/// The two implementations share no code; they must agree to well beyond 3 significant digits.
@Suite struct SBGCrosscheckTests {
    static let scipy: [(counts: [Int], alpha: Double, beta: Double, ll: Double)] = [
        ([1000, 631, 468, 382, 326, 289, 262, 241], 0.7040773019438622, 1.1820430307075578, -1680.265188463286),
        ([1000, 869, 743, 653, 593, 551, 517, 491], 0.6680883728764352, 3.806095381726049, -1611.1581473911551),
        (
            [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173], 0.69736242785076, 1.1689045582474027,
            -1931.4916941280799
        ),
        (
            [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394], 0.5961111864820969, 3.326968726565285,
            -2010.8584195650847
        ),
        (
            [500, 452, 418, 395, 377, 362, 350, 340, 332, 325, 319, 314], 0.2355844958184602, 2.1221208009518446,
            -729.9978023898758
        ),
        ([40, 31, 26, 23, 21, 20], 0.40177829309550483, 1.3375702101289761, -55.26548437813453),
        ([2000, 1655, 1388, 1178, 1010, 873, 761, 668, 591], 2.488304030534467, 11.93662133681351, -3980.105912994733),
    ]

    @Test(arguments: 0..<7)
    func agreesWithScipy(index: Int) throws {
        let ref = Self.scipy[index]
        let fit = try ShiftedBetaGeometric.fit(survivors: ref.counts)
        #expect(fit.converged)
        #expect(abs(fit.alpha / ref.alpha - 1) < 1e-6)
        #expect(abs(fit.beta / ref.beta - 1) < 1e-6)
        #expect(abs(fit.logLikelihood - ref.ll) < 1e-8 * abs(ref.ll))
        // The Swift optimum is never worse than scipy's.
        #expect(fit.logLikelihood >= ref.ll - 1e-9)
    }
}
