"""Online quizzes: authoring by blueprint, delivery, scoring, results, item statistics."""
