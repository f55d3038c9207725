"""Harmonious labour-relations enterprise rating batches (和谐劳动关系企业创建)."""

__all__: list[str] = []
