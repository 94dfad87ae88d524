package io.searchloop.encoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts that exercise the encoder: shop titles and queries in Russian and English, typos,
 * near-empty and over-long texts.
 */
final class ParityTexts {
    private ParityTexts() {}

    static List<String> all() {
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "труба для отвода дыма",
                                "дымоход",
                                "дымо ход",
                                "lsvjxjl",
                                "Сэндвич дымоход из нержавеющей стали 115/200 мм, утепленный",
                                "Дымоход моно 120 мм нерж. AISI 430 0,5 мм",
                                "шуруповерт аккумуляторный 18В",
                                "шуруповёрт makita",
                                "дрель ударная 750 Вт",
                                "перфоратор SDS-plus 800 Вт",
                                "минеральная вата 50 мм Rockwool",
                                "утеплитель для стен",
                                "металлочерепица монтеррей 0,5",
                                "профнастил С8 оцинкованный",
                                "саморез кровельный 4,8х35 RAL 3005",
                                "дюбель-гвоздь 6х40",
                                "краска фасадная белая 10 л",
                                "грунтовка глубокого проникновения",
                                "смеситель для ванной с душем",
                                "труба полипропиленовая 20 мм PN20",
                                "фитинг 3/4\" латунь",
                                "кран шаровой 1/2",
                                "герметик силиконовый санитарный",
                                "пена монтажная профессиональная 750 мл",
                                "гипсокартон влагостойкий 12,5 мм",
                                "штукатурка гипсовая Knauf Ротбанд 30 кг",
                                "плитка керамическая напольная 30х30",
                                "ламинат 33 класс дуб",
                                "электрический теплый пол",
                                "кабель ВВГнг 3х2,5",
                                "автоматический выключатель 16А",
                                "светильник светодиодный потолочный",
                                "лестница алюминиевая трехсекционная",
                                "cordless drill 18V with two batteries",
                                "stainless steel chimney pipe 150 mm",
                                "mineral wool insulation roll",
                                "roofing screws with rubber washer",
                                "white exterior paint",
                                "chimny pipe",
                                "scrwdriver",
                                "dymohod",
                                "shurupovert",
                                "a",
                                "?",
                                " ",
                                "...",
                                "🙂 дымоход 🙂",
                                "ДЫМОХОД СЭНДВИЧ",
                                "дымохд",
                                "шурупаверт",
                                "утиплитель",
                                "перфаратор"));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longText.append("Сэндвич дымоход из нержавеющей стали, утепленный базальтовой ватой ")
                    .append(i)
                    .append(". ");
        }
        texts.add(longText.toString());
        texts.add("Long English product description that keeps going ".repeat(40));
        return texts;
    }
}
