"""A small crafted archive for the pairing tests: three pairs (two of them follow-ups on one
event, told apart by their numbers), one Ukrainian and one English article without a
counterpart."""

UK = {
    "umerov": (
        "Міністр оборони Рустем Умєров зустрівся з президентом Південної Кореї Юн Сок Йолем у "
        "Сеулі.",
        "Сторони обговорили постачання 155-мм снарядів і співпрацю оборонних компаній.",
    ),
    "strike": (
        "Ракетний удар по Харкову: загинули 12 людей, ще 45 поранені, повідомив голова "
        "обласної адміністрації Олег Синєгубов.",
        "Ракети влучили в житловий будинок у Салтівському районі.",
    ),
    "strike-update": (
        "Кількість загиблих внаслідок удару по Харкову зросла до 15, поранених — 52, "
        "повідомив Олег Синєгубов.",
        "Рятувальники продовжують розбирати завали будинку в Салтівському районі.",
    ),
    "library": (
        "У Львові відкрили нову бібліотеку для дітей імені Лесі Українки.",
        "Директорка Ганна Коваль розповіла, що фонд налічує 8 тисяч книжок.",
    ),
}
EN = {
    "a1": (
        "Defence Minister Rustem Umerov met South Korean President Yoon Suk Yeol in Seoul.",
        "The sides discussed supplies of 155 mm shells and cooperation of defence companies.",
    ),
    "b2": (
        "Missile strike on Kharkiv: 12 people were killed and 45 injured, said Oleh Syniehubov, "
        "head of the regional administration.",
        "The missiles hit an apartment building in the Saltivskyi district.",
    ),
    "c3": (
        "The death toll from the strike on Kharkiv rose to 15, with 52 injured, Oleh Syniehubov "
        "said.",
        "Rescuers continue to clear the rubble of the building in the Saltivskyi district.",
    ),
    "d4": (
        "Coffee prices in Brazil rose by 7% in March, according to exporters in Santos.",
        "Traders expect a smaller harvest after the drought in Minas Gerais.",
    ),
}
