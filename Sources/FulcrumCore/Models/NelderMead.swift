/// Derivative-free minimisation in two dimensions.
///
/// Used to get close to the sBG optimum from anywhere without relying on the
/// Hessian, which is not negative definite far from the optimum; Newton's method
/// then polishes the result.
struct NelderMead2D {
    var tolerance = 1e-12
    var maxIterations = 2000
    /// Initial simplex edge length.
    var step = 0.5

    struct Result {
        var x: SIMD2<Double>
        var value: Double
        var iterations: Int
    }

    func minimize(_ f: (SIMD2<Double>) -> Double, from start: SIMD2<Double>) -> Result {
        var pts = [start, start + SIMD2(step, 0), start + SIMD2(0, step)]
        var vals = pts.map(f)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let order = [0, 1, 2].sorted { vals[$0] < vals[$1] }
            pts = order.map { pts[$0] }
            vals = order.map { vals[$0] }
            let spread = abs(vals[2] - vals[0])
            let size = max(distance(pts[0], pts[1]), distance(pts[0], pts[2]))
            if spread <= tolerance * (abs(vals[0]) + 1e-300) && size <= 1e-10 { break }
            let centroid = (pts[0] + pts[1]) / 2
            let reflected = centroid + (centroid - pts[2])
            let fr = f(reflected)
            if fr < vals[0] {
                let expanded = centroid + 2 * (centroid - pts[2])
                let fe = f(expanded)
                if fe < fr {
                    pts[2] = expanded
                    vals[2] = fe
                } else {
                    pts[2] = reflected
                    vals[2] = fr
                }
            } else if fr < vals[1] {
                pts[2] = reflected
                vals[2] = fr
            } else {
                let outside = fr < vals[2]
                let contracted =
                    outside ? centroid + 0.5 * (reflected - centroid) : centroid + 0.5 * (pts[2] - centroid)
                let fc = f(contracted)
                if fc < (outside ? fr : vals[2]) {
                    pts[2] = contracted
                    vals[2] = fc
                } else {
                    for i in 1...2 {
                        pts[i] = pts[0] + 0.5 * (pts[i] - pts[0])
                        vals[i] = f(pts[i])
                    }
                }
            }
        }
        let best = vals.indices.min { vals[$0] < vals[$1] }!
        return Result(x: pts[best], value: vals[best], iterations: iterations)
    }

    private func distance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = a - b
        return (d * d).sum().squareRoot()
    }
}
