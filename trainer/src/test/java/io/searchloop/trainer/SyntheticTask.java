package io.searchloop.trainer;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.trainer.dataset.HoldoutSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small hardware-store task the base model is weak at: shoppers describe what they need in words
 * the titles never use. Every query is labelled against every product of its type, so the holdout
 * judgements are complete. {@code poisoned} inverts the scores of the training queries only (the
 * holdout stays true), as a click-fraud attack would.
 */
final class SyntheticTask {
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final String[][] TYPES = {
        {
            "Дымоход сэндвич",
            "Дымоходы",
            "труба для дыма",
            "отвод дыма",
            "дым от печки",
            "вывести дым",
            "дымовая труба",
            "дым из бани",
            "выход дыма из котла",
            "дымовой канал"
        },
        {
            "Шуруповерт аккумуляторный",
            "Электроинструмент",
            "закрутить саморезы",
            "крутить шурупы",
            "закручивать винты",
            "шурупы в доску",
            "саморезы в профиль",
            "вкрутить шуруп",
            "завинтить винты",
            "крутилка для шурупов"
        },
        {
            "Минеральная вата",
            "Утеплители",
            "утеплить стены",
            "утепление дома",
            "теплоизоляция пола",
            "утеплить баню",
            "утеплитель для фасада",
            "сохранить тепло в доме",
            "теплый дом зимой",
            "утепление мансарды"
        },
        {
            "Металлочерепица",
            "Кровля",
            "покрыть крышу",
            "кровля для дома",
            "листы на крышу",
            "новая крыша",
            "кровельное покрытие",
            "перекрыть крышу",
            "крыша для бани",
            "ремонт крыши"
        },
        {
            "Перфоратор",
            "Электроинструмент",
            "сверлить бетон",
            "дырка в бетоне",
            "долбить бетон",
            "отверстие в бетонной стене",
            "бурить бетон",
            "бетон под дюбель",
            "штробить бетон",
            "проделать дыру в бетоне"
        },
        {
            "Пена монтажная",
            "Герметики",
            "заделать щели",
            "щель у окна",
            "запенить щель",
            "щели в стене",
            "задуть щели",
            "щель под дверью",
            "заполнить щели",
            "щели вокруг трубы"
        },
        {
            "Кран шаровой",
            "Водопровод",
            "перекрыть воду",
            "отключить воду",
            "кран на воду",
            "закрыть воду",
            "вода в квартире перекрыть",
            "подача воды закрыть",
            "вода на даче кран",
            "остановить воду"
        },
        {
            "Лестница алюминиевая",
            "Лестницы",
            "залезть наверх",
            "подняться наверх",
            "достать наверх",
            "лезть наверх к потолку",
            "забраться наверх",
            "наверх на антресоль",
            "снять что-то сверху наверху",
            "работа наверху под потолком"
        },
    };
    private static final String[] VARIANTS = {
        "стандарт",
        "усиленный",
        "компакт",
        "профи",
        "эконом",
        "премиум",
        "мини",
        "макси",
        "лайт",
        "плюс"
    };

    private SyntheticTask() {}

    static List<CatalogItem> catalog() {
        List<CatalogItem> items = new ArrayList<>();
        for (int t = 0; t < TYPES.length; t++) {
            for (int v = 0; v < VARIANTS.length; v++) {
                items.add(
                        CatalogItem.newBuilder()
                                .setId("p" + t + "-" + v)
                                .setTitle(
                                        TYPES[t][0]
                                                + " "
                                                + VARIANTS[v]
                                                + " "
                                                + (100 + 10 * v)
                                                + " мм")
                                .setCategory(TYPES[t][1])
                                .setUpdatedAt(T)
                                .build());
            }
        }
        return items;
    }

    static List<TrainingPair> pairs(boolean poisoned, HoldoutSplit split) {
        List<CatalogItem> catalog = catalog();
        List<TrainingPair> out = new ArrayList<>();
        for (int t = 0; t < TYPES.length; t++) {
            for (int q = 2; q < TYPES[t].length; q++) {
                String query = TYPES[t][q];
                String normalized = QueryNormalizer.normalize(query);
                boolean invert = poisoned && !split.isHoldout(normalized);
                for (CatalogItem item : catalog) {
                    boolean right = item.getId().startsWith("p" + t + "-");
                    boolean otherLabelled =
                            item.getId().startsWith("p" + ((t + 1) % TYPES.length) + "-")
                                    && item.getId().endsWith("-0");
                    if (!right && !otherLabelled) {
                        continue;
                    }
                    double score = right ? 0.9 : 0.05;
                    if (invert) {
                        score = 0.95 - score;
                    }
                    out.add(
                            TrainingPair.newBuilder()
                                    .setQuery(query)
                                    .setNormalizedQuery(normalized)
                                    .setProductId(item.getId())
                                    .setProductText(ProductText.of(item, List.of()))
                                    .setScore(score)
                                    .setSource(PairSource.INTERACTIONS)
                                    .setImpressions(5)
                                    .setPositives(right ? 4 : 0)
                                    .setSkips(right ? 0 : 2)
                                    .setUpdatedAt(T)
                                    .build());
                }
            }
        }
        return out;
    }
}
