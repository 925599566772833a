import GuideCore
import GuideProtocol

/// The reminder part of `guidectl history --stats`: today's intake against each
/// reminder's `dailyGoal`, and this week's done/snoozed/missed per reminder (local days,
/// weeks from Monday, as the session statistics).
public struct ReminderStats: Sendable, Equatable {
    public struct Intake: Sendable, Equatable {
        public var reminder: String
        /// Millilitres acknowledged today.
        public var today: Int
        public var goal: Int?
    }

    public struct Outcomes: Sendable, Equatable {
        public var reminder: String
        public var done: Int
        public var snoozed: Int
        public var missed: Int
    }

    public var intake: [Intake]
    /// The week's first day, `2026-05-04`.
    public var since: String
    public var week: [Outcomes]

    /// Nil when there is nothing to say (no records this week, no goals).
    public static func compute(_ records: [ReminderRecord], goals: [String: Int], now: Double, offset: UTCOffset) -> ReminderStats? {
        let today = CivilDay.of(now, offset)
        let weekStart = today - CivilDay.weekdayFromMonday(today)
        var intake: [String: Int] = [:]
        var week: [String: Outcomes] = [:]
        var order: [String] = []
        for record in records {
            guard let at = WireTime.unix(record.at) else { continue }
            let day = CivilDay.of(at, offset)
            guard day >= weekStart, day <= today else { continue }
            if week[record.reminder] == nil {
                week[record.reminder] = Outcomes(reminder: record.reminder, done: 0, snoozed: 0, missed: 0)
                order.append(record.reminder)
            }
            switch record.outcome {
            case "done":
                week[record.reminder]!.done += 1
                if day == today, let amount = record.amount { intake[record.reminder, default: 0] += amount }
            case "snoozed": week[record.reminder]!.snoozed += 1
            case "missed": week[record.reminder]!.missed += 1
            default: break
            }
        }
        let intakeNames = (Array(goals.keys) + intake.keys).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
        let stats = ReminderStats(
            intake: intakeNames.map { Intake(reminder: $0, today: intake[$0] ?? 0, goal: goals[$0]) },
            since: CivilDay.text(weekStart), week: order.sorted().compactMap { week[$0] })
        return stats.intake.isEmpty && stats.week.isEmpty ? nil : stats
    }

    /// ```
    /// today       water 750ml of 2l (38%)
    ///
    /// reminder  done  snoozed  missed   (since 2026-05-04)
    /// water       12        2       3
    /// ```
    public var text: String {
        var lines: [String] = []
        for item in intake {
            var line = "today       \(item.reminder) \(Amount.format(item.today))"
            if let goal = item.goal, goal > 0 { line += " of \(Amount.format(goal)) (\(item.today * 100 / goal)%)" }
            lines.append(line)
        }
        guard !week.isEmpty else { return lines.joined(separator: "\n") }
        if !lines.isEmpty { lines.append("") }
        let header = ["reminder", "done", "snoozed", "missed"]
        let rows = week.map { [$0.reminder, String($0.done), String($0.snoozed), String($0.missed)] }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        for (i, row) in ([header] + rows).enumerated() {
            var line = row.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - row[c].count)
                return c == 0 ? row[c] + pad : pad + row[c]
            }.joined(separator: "  ")
            if i == 0 { line += "   (since \(since))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

extension ReminderStats: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("intake", intake)
        w.field("since", since)
        w.field("week", week)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(intake: try o.value("intake"), since: try o.value("since"), week: try o.value("week"))
    }
}

extension ReminderStats.Intake: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.fieldIfPresent("goal", goal)
        w.field("reminder", reminder)
        w.field("today", today)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(reminder: try o.value("reminder"), today: try o.value("today"), goal: try o.optional("goal"))
    }
}

extension ReminderStats.Outcomes: WireCodable {
    public func encode(to w: inout JSONWriter) {
        w.beginObject()
        w.field("done", done)
        w.field("missed", missed)
        w.field("reminder", reminder)
        w.field("snoozed", snoozed)
        w.endObject()
    }

    public init(wire value: JSONValue) throws(WireValueError) {
        let o = try WireObject(value)
        self.init(
            reminder: try o.value("reminder"), done: try o.value("done"), snoozed: try o.value("snoozed"),
            missed: try o.value("missed"))
    }
}
