"""Cadres' liaison (百名干部联基层): assignments of enterprises to cadres and their visits."""

__all__: list[str] = []
