"""Help campaigns (元旦春节送温暖, 金秋助学, 医疗救助, 生活救助), their recipients and sign-off sheets."""

__all__: list[str] = []
