public enum FulcrumCoreVersion { public static let string = "0.1.0" }
