"""The few building blocks every app shares: the one domain error, the one lock helper and the
one way a view shows a refusal. It imports no app of the project."""
