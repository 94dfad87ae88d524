package io.searchloop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic hardware-store product titles of realistic length and vocabulary, for throughput
 * figures.
 */
final class CatalogTitles {
    private static final String[] TYPES = {
        "Дымоход сэндвич",
        "Дымоход моно",
        "Шуруповерт аккумуляторный",
        "Дрель ударная",
        "Перфоратор SDS-plus",
        "Минеральная вата",
        "Металлочерепица",
        "Профнастил",
        "Саморез кровельный",
        "Краска фасадная",
        "Грунтовка",
        "Смеситель для ванной",
        "Труба полипропиленовая",
        "Кран шаровой",
        "Герметик силиконовый",
        "Пена монтажная",
        "Гипсокартон",
        "Штукатурка гипсовая",
        "Плитка керамическая",
        "Ламинат",
        "Кабель ВВГнг",
        "Автоматический выключатель",
        "Светильник светодиодный",
        "Лестница алюминиевая"
    };
    private static final String[] MATERIALS = {
        "из нержавеющей стали",
        "оцинкованный",
        "латунный",
        "алюминиевый",
        "акриловая",
        "базальтовая",
        "влагостойкий",
        "полимерное покрытие",
        "ПВХ",
        "керамика"
    };
    private static final String[] SIZES = {
        "115/200 мм",
        "120 мм",
        "18В 2 АКБ",
        "750 Вт",
        "50 мм",
        "0,5 мм RAL 3005",
        "4,8х35",
        "10 л",
        "20 мм PN20",
        "1/2\"",
        "3/4\"",
        "12,5 мм",
        "30 кг",
        "30х30 см",
        "3х2,5 мм²",
        "16А",
        "3х9 ступеней"
    };
    private static final String[] BRANDS = {
        "Makita",
        "Bosch",
        "Knauf",
        "Rockwool",
        "Grand Line",
        "Tikkurila",
        "Ceresit",
        "Valtec",
        "IEK",
        "Krause"
    };

    private CatalogTitles() {}

    static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        List<String> titles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder t = new StringBuilder(TYPES[random.nextInt(TYPES.length)]);
            if (random.nextBoolean()) {
                t.append(' ').append(MATERIALS[random.nextInt(MATERIALS.length)]);
            }
            t.append(' ').append(SIZES[random.nextInt(SIZES.length)]);
            if (random.nextInt(3) > 0) {
                t.append(", ").append(BRANDS[random.nextInt(BRANDS.length)]);
            }
            if (random.nextInt(4) == 0) {
                t.append(", артикул ").append(100000 + random.nextInt(900000));
            }
            titles.add(t.toString());
        }
        return titles;
    }
}
