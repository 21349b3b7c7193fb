"""The few building blocks every app shares: the one domain error, the one lock helper, the one
way a view shows a refusal and the one way to enqueue a task after commit. It imports no app of
the project."""
