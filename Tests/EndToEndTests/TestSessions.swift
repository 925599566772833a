/// Short sessions for end-to-end tests: steps of 1–3 s, so that a whole run takes seconds.
enum TestSessions {
    /// Three steps, the second two-sided: 2 + 2×2 + 2 = 8 s.
    static let quick = """
        {"title": "Quick", "caution": "Start slowly.", "steps": [
          {"name": "Reach", "duration": 2},
          {"name": "Twist", "duration": "2s", "sides": true},
          {"name": "Breathe", "duration": 2, "rest": true}
        ]}
        """

    /// Ends with a 10 s step so that the countdown ticks sound: 1 + 1×2 + 10 = 13 s.
    static let countdown = """
        {"title": "Countdown", "steps": [
          {"name": "Warm", "duration": 1},
          {"name": "Lunge", "duration": 1, "sides": true},
          {"name": "Hold", "duration": 10}
        ]}
        """

    /// A long session for commands that need something running.
    static let long = """
        {"title": "Long", "steps": [
          {"name": "First", "duration": "5m"},
          {"name": "Second", "duration": "5m", "sides": true},
          {"name": "Third", "duration": "5m"}
        ]}
        """
}
