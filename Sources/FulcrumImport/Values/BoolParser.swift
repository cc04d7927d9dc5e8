/// Booleans as spreadsheets and CRMs export them. Only these spellings are
/// accepted (any case, surrounding spaces ignored): true/false, yes/no, 1/0.
/// Anything else, including an empty field, is an error rather than a guess.
public enum BoolParser {
    public static func parse(_ text: String) -> Result<Bool, ValueError> {
        let t = String(decoding: ByteText.trimmed(text), as: UTF8.self).lowercased()
        switch t {
        case "true", "yes", "1": return .success(true)
        case "false", "no", "0": return .success(false)
        default: return .failure(ValueError("not a boolean: '\(text)' (expected true/false, yes/no or 1/0)"))
        }
    }
}
