/// Gauss's hypergeometric function 2F1(a, b; c; z) by its power series.
///
/// The sBG discounted lifetimes are 2F1 values at z = 1/(1 + d) < 1, where the
/// series converges geometrically; summing until the terms no longer change the
/// total avoids a special-function dependency.
/// Requires |z| < 1 and c not a non-positive integer.
func hypergeometric2F1(a: Double, b: Double, c: Double, z: Double, maxTerms: Int = 1_000_000) -> Double {
    precondition(abs(z) < 1, "2F1 series needs |z| < 1")
    var term = 1.0
    var sum = 1.0
    var i = 0.0
    for _ in 0..<maxTerms {
        term *= (a + i) * (b + i) / ((c + i) * (i + 1)) * z
        let next = sum + term
        if next == sum { break }
        sum = next
        i += 1
    }
    return sum
}
