package io.searchloop.testkit.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic Russian hardware / building-materials catalog: 42 product types in 12 category
 * groups, titles written the way shops write them (type, material, size, brand, variant), with
 * categories and attributes.
 */
public final class Catalog {
    /** One generated product. */
    public record Item(
            String id,
            ProductType type,
            String title,
            String material,
            String size,
            String brand) {}

    static final List<ProductType> TYPES =
            List.of(
                    t(
                            "chimney-sandwich",
                            "Сэндвич дымоход",
                            "Дымоходы",
                            "chimney",
                            List.of("из нержавеющей стали", "оцинкованный", "AISI 304"),
                            List.of("115/200 мм", "120/200 мм", "150/250 мм"),
                            List.of(
                                    "труба для отвода дыма",
                                    "утепленная труба для печки",
                                    "вывод дыма из бани"),
                            "insulated chimney pipe"),
                    t(
                            "chimney-mono",
                            "Дымоход моно",
                            "Дымоходы",
                            "chimney",
                            List.of("нержавеющий", "AISI 430", "оцинкованный"),
                            List.of("115 мм", "120 мм", "150 мм"),
                            List.of(
                                    "труба для дыма от печки",
                                    "одностенная труба для дыма",
                                    "дымовая труба без утепления"),
                            "single wall flue pipe"),
                    t(
                            "chimney-elbow",
                            "Колено дымохода",
                            "Дымоходы",
                            "chimney",
                            List.of("нержавеющее", "оцинкованное"),
                            List.of("90°", "45°", "135°"),
                            List.of("поворот трубы для дыма", "уголок для дымовой трубы"),
                            "flue elbow"),
                    t(
                            "screwdriver",
                            "Шуруповерт аккумуляторный",
                            "Электроинструмент",
                            "power-tools",
                            List.of("бесщеточный", "щеточный"),
                            List.of("12В", "18В", "20В"),
                            List.of(
                                    "чем закрутить саморезы",
                                    "крутилка для шурупов",
                                    "инструмент для закручивания винтов"),
                            "cordless screwdriver"),
                    t(
                            "drill",
                            "Дрель ударная",
                            "Электроинструмент",
                            "power-tools",
                            List.of("сетевая", "с реверсом"),
                            List.of("650 Вт", "750 Вт", "1000 Вт"),
                            List.of("чем сверлить кирпич", "сверлилка для стен"),
                            "impact drill"),
                    t(
                            "perforator",
                            "Перфоратор SDS-plus",
                            "Электроинструмент",
                            "power-tools",
                            List.of("сетевой", "аккумуляторный"),
                            List.of("800 Вт", "1200 Вт", "18В"),
                            List.of("чем долбить бетон", "пробить дыру в бетоне", "штробить стену"),
                            "rotary hammer"),
                    t(
                            "grinder",
                            "Угловая шлифмашина (болгарка)",
                            "Электроинструмент",
                            "power-tools",
                            List.of("сетевая", "аккумуляторная"),
                            List.of("125 мм", "150 мм", "230 мм"),
                            List.of("чем резать металл", "резать плитку диском"),
                            "angle grinder"),
                    t(
                            "jigsaw",
                            "Лобзик электрический",
                            "Электроинструмент",
                            "power-tools",
                            List.of("с маятниковым ходом", "компактный"),
                            List.of("500 Вт", "650 Вт", "800 Вт"),
                            List.of("пилить фанеру фигурно", "чем выпилить отверстие в столешнице"),
                            "jigsaw"),
                    t(
                            "mineral-wool",
                            "Минеральная вата",
                            "Утеплители",
                            "insulation",
                            List.of("базальтовая", "стекловата"),
                            List.of("50 мм", "100 мм", "150 мм"),
                            List.of(
                                    "чем утеплить стены",
                                    "утеплитель для каркасного дома",
                                    "вата для утепления мансарды"),
                            "mineral wool insulation"),
                    t(
                            "eps",
                            "Пенополистирол",
                            "Утеплители",
                            "insulation",
                            List.of("ПСБ-С 25", "ПСБ-С 35"),
                            List.of("50 мм", "100 мм"),
                            List.of("пенопласт для утепления фасада", "плиты пенопласта"),
                            "expanded polystyrene board"),
                    t(
                            "xps",
                            "Экструдированный пенополистирол",
                            "Утеплители",
                            "insulation",
                            List.of("XPS 35", "XPS 45"),
                            List.of("30 мм", "50 мм", "100 мм"),
                            List.of("утеплить фундамент снаружи", "утеплитель под стяжку пола"),
                            "xps foam board"),
                    t(
                            "metal-tile",
                            "Металлочерепица Монтеррей",
                            "Кровля",
                            "roofing",
                            List.of("полиэстер", "пурал"),
                            List.of("0,45 мм", "0,5 мм"),
                            List.of("чем покрыть крышу", "железо на крышу под черепицу"),
                            "metal roof tiles"),
                    t(
                            "profiled-sheet",
                            "Профнастил С8",
                            "Кровля",
                            "roofing",
                            List.of("оцинкованный", "окрашенный RAL 8017"),
                            List.of("0,4 мм", "0,5 мм"),
                            List.of("листы для забора", "гофролист для навеса"),
                            "corrugated steel sheet"),
                    t(
                            "soft-roof",
                            "Гибкая черепица",
                            "Кровля",
                            "roofing",
                            List.of("битумная", "двухслойная"),
                            List.of("3 м²", "2,6 м²"),
                            List.of("мягкая кровля на беседку", "битумная плитка на крышу"),
                            "asphalt shingles"),
                    t(
                            "roof-screw",
                            "Саморез кровельный",
                            "Крепеж",
                            "fasteners",
                            List.of("с шайбой EPDM", "оцинкованный"),
                            List.of("4,8х29", "4,8х35", "5,5х25"),
                            List.of("чем крепить профлист", "саморезы с резинкой для крыши"),
                            "roofing screws"),
                    t(
                            "wood-screw",
                            "Саморез по дереву",
                            "Крепеж",
                            "fasteners",
                            List.of("желтопассированный", "черный фосфатированный"),
                            List.of("3,5х35", "4,2х65", "5х70"),
                            List.of(
                                    "шурупы для досок",
                                    "черные саморезы для гипсокартона к дереву"),
                            "wood screws"),
                    t(
                            "dowel-nail",
                            "Дюбель-гвоздь",
                            "Крепеж",
                            "fasteners",
                            List.of("с потайным бортиком", "с цилиндрическим бортиком"),
                            List.of("6х40", "6х60", "8х80"),
                            List.of("быстрый монтаж в бетон", "крепеж для плинтуса к стене"),
                            "nail plug"),
                    t(
                            "anchor",
                            "Анкер клиновой",
                            "Крепеж",
                            "fasteners",
                            List.of("оцинкованный", "нержавеющий"),
                            List.of("М8х75", "М10х100", "М12х120"),
                            List.of("крепление тяжелого к бетону", "болт в бетонную стену"),
                            "wedge anchor"),
                    t(
                            "facade-paint",
                            "Краска фасадная акриловая",
                            "Краски",
                            "paints",
                            List.of("белая", "база С"),
                            List.of("2,7 л", "9 л", "15 л"),
                            List.of("покрасить дом снаружи", "краска для наружных стен"),
                            "exterior facade paint"),
                    t(
                            "wall-paint",
                            "Краска интерьерная моющаяся",
                            "Краски",
                            "paints",
                            List.of("матовая", "полуматовая"),
                            List.of("2,5 л", "5 л", "10 л"),
                            List.of("покрасить стены в комнате", "краска для стен на кухне"),
                            "interior wall paint"),
                    t(
                            "primer",
                            "Грунтовка глубокого проникновения",
                            "Краски",
                            "paints",
                            List.of("акриловая", "с антисептиком"),
                            List.of("5 л", "10 л"),
                            List.of(
                                    "обработать стену перед покраской",
                                    "пропитка для стен перед шпаклевкой"),
                            "deep penetrating primer"),
                    t(
                            "enamel",
                            "Эмаль ПФ-115",
                            "Краски",
                            "paints",
                            List.of("белая", "черная", "красная"),
                            List.of("0,9 кг", "2,7 кг"),
                            List.of("покрасить металлический забор", "краска для батарей"),
                            "alkyd enamel"),
                    t(
                            "pp-pipe",
                            "Труба полипропиленовая PN20",
                            "Водопровод",
                            "plumbing",
                            List.of("белая", "армированная стекловолокном"),
                            List.of("20 мм", "25 мм", "32 мм"),
                            List.of("трубы для водопровода в доме", "пластиковые трубы под пайку"),
                            "polypropylene pipe"),
                    t(
                            "ball-valve",
                            "Кран шаровой",
                            "Водопровод",
                            "plumbing",
                            List.of("латунный", "никелированный"),
                            List.of("1/2\"", "3/4\"", "1\""),
                            List.of("перекрыть воду в квартире", "вентиль на трубу"),
                            "ball valve"),
                    t(
                            "mixer",
                            "Смеситель для ванны",
                            "Сантехника",
                            "plumbing",
                            List.of("с душем", "однорычажный"),
                            List.of("короткий излив", "длинный излив"),
                            List.of(
                                    "кран в ванную с лейкой",
                                    "смеситель на ванну с переключателем"),
                            "bath mixer tap"),
                    t(
                            "siphon",
                            "Сифон для раковины",
                            "Сантехника",
                            "plumbing",
                            List.of("бутылочный", "гофрированный"),
                            List.of("1 1/2\"", "40 мм"),
                            List.of("слив под умывальник", "колено под раковину"),
                            "sink trap"),
                    t(
                            "sewer-pipe",
                            "Труба канализационная ПП",
                            "Канализация",
                            "plumbing",
                            List.of("серая", "наружная рыжая"),
                            List.of("50 мм", "110 мм"),
                            List.of("трубы для слива", "канализация в частный дом"),
                            "sewer pipe"),
                    t(
                            "foam",
                            "Пена монтажная",
                            "Герметики",
                            "sealants",
                            List.of("профессиональная", "бытовая", "зимняя"),
                            List.of("500 мл", "750 мл"),
                            List.of("заделать щели вокруг окна", "задуть щель у двери"),
                            "expanding foam"),
                    t(
                            "sealant",
                            "Герметик силиконовый",
                            "Герметики",
                            "sealants",
                            List.of("санитарный", "универсальный"),
                            List.of("260 мл", "280 мл"),
                            List.of("замазать шов у ванны", "герметизировать стык у раковины"),
                            "silicone sealant"),
                    t(
                            "gypsum-board",
                            "Гипсокартон",
                            "Листовые материалы",
                            "drywall",
                            List.of("стеновой", "влагостойкий"),
                            List.of("9,5 мм", "12,5 мм"),
                            List.of("листы для перегородки", "выровнять стены листами"),
                            "drywall sheet"),
                    t(
                            "osb",
                            "Плита OSB-3",
                            "Листовые материалы",
                            "drywall",
                            List.of("влагостойкая", "шпунтованная"),
                            List.of("9 мм", "12 мм", "18 мм"),
                            List.of("плита для пола на даче", "щитовой материал для обшивки стен"),
                            "osb board"),
                    t(
                            "plaster",
                            "Штукатурка гипсовая",
                            "Сухие смеси",
                            "mixes",
                            List.of("ручного нанесения", "машинного нанесения"),
                            List.of("25 кг", "30 кг"),
                            List.of("выровнять стены под обои", "смесь для выравнивания стен"),
                            "gypsum plaster"),
                    t(
                            "tile-glue",
                            "Клей для плитки",
                            "Сухие смеси",
                            "mixes",
                            List.of("усиленный", "для керамогранита"),
                            List.of("25 кг"),
                            List.of("на что клеить кафель", "смесь для укладки плитки"),
                            "tile adhesive"),
                    t(
                            "screed",
                            "Стяжка пола",
                            "Сухие смеси",
                            "mixes",
                            List.of("цементная", "быстротвердеющая"),
                            List.of("25 кг", "40 кг"),
                            List.of("выровнять пол перед ламинатом", "залить пол смесью"),
                            "floor screed"),
                    t(
                            "cement",
                            "Цемент М500",
                            "Сухие смеси",
                            "mixes",
                            List.of("портландцемент", "Д0"),
                            List.of("25 кг", "50 кг"),
                            List.of("залить фундамент", "для бетона мешок"),
                            "portland cement"),
                    t(
                            "tile",
                            "Плитка керамическая напольная",
                            "Плитка",
                            "floor",
                            List.of("матовая", "глазурованная"),
                            List.of("30х30 см", "40х40 см"),
                            List.of(
                                    "кафель на пол в ванную",
                                    "напольное покрытие для кухни из керамики"),
                            "ceramic floor tile"),
                    t(
                            "laminate",
                            "Ламинат 33 класс",
                            "Напольные покрытия",
                            "floor",
                            List.of("дуб", "ясень"),
                            List.of("8 мм", "12 мм"),
                            List.of("покрытие на пол под дерево", "доски на пол в квартиру"),
                            "laminate flooring"),
                    t(
                            "cable",
                            "Кабель ВВГнг-LS",
                            "Электрика",
                            "electric",
                            List.of("медный", "плоский"),
                            List.of("3х1,5 мм²", "3х2,5 мм²", "5х4 мм²"),
                            List.of("провод для розеток", "проводка в квартиру"),
                            "copper power cable"),
                    t(
                            "breaker",
                            "Автоматический выключатель",
                            "Электрика",
                            "electric",
                            List.of("однополюсный", "трехполюсный"),
                            List.of("16А", "25А", "32А"),
                            List.of("автомат в щиток", "защита от короткого замыкания"),
                            "circuit breaker"),
                    t(
                            "socket",
                            "Розетка с заземлением",
                            "Электрика",
                            "electric",
                            List.of("белая", "влагозащищенная"),
                            List.of("16А"),
                            List.of("куда включать вилку", "электрическая точка на стену"),
                            "power socket"),
                    t(
                            "led-lamp",
                            "Светильник светодиодный",
                            "Освещение",
                            "electric",
                            List.of("накладной", "встраиваемый"),
                            List.of("18 Вт", "36 Вт"),
                            List.of("лампа на потолок", "освещение в гараж"),
                            "led ceiling light"),
                    t(
                            "ladder",
                            "Лестница алюминиевая",
                            "Лестницы",
                            "ladders",
                            List.of("трехсекционная", "стремянка"),
                            List.of("3х9", "6 ступеней", "4х4"),
                            List.of("залезть на крышу", "достать до потолка"),
                            "aluminium ladder"));

    private static final List<String> BRANDS =
            List.of(
                    "Makita",
                    "Bosch",
                    "Knauf",
                    "Rockwool",
                    "Grand Line",
                    "Tikkurila",
                    "Ceresit",
                    "Valtec",
                    "IEK",
                    "Krause",
                    "Зубр",
                    "Интерскол",
                    "Технониколь",
                    "Ферум",
                    "ЛСР");
    private static final List<String> VARIANTS =
            List.of("", ", серия Профи", ", эконом", ", усиленный", ", премиум");

    private final List<Item> items;

    private Catalog(List<Item> items) {
        this.items = items;
    }

    private static ProductType t(
            String key,
            String name,
            String category,
            String group,
            List<String> materials,
            List<String> sizes,
            List<String> synonyms,
            String english) {
        return new ProductType(key, name, category, group, materials, sizes, synonyms, english);
    }

    /** At least {@code size} items (every type gets the same share), the same for the same seed. */
    public static Catalog generate(int size, long seed) {
        Random random = new Random(seed);
        List<Item> items = new ArrayList<>();
        int perType = (int) Math.ceil((double) size / TYPES.size());
        for (ProductType type : TYPES) {
            for (int i = 0; i < perType; i++) {
                String material = type.materials().get(random.nextInt(type.materials().size()));
                String sizeValue = type.sizes().get(random.nextInt(type.sizes().size()));
                String brand = BRANDS.get(random.nextInt(BRANDS.size()));
                String title =
                        type.titleName()
                                + " "
                                + material
                                + " "
                                + sizeValue
                                + ", "
                                + brand
                                + VARIANTS.get(random.nextInt(VARIANTS.size()));
                items.add(
                        new Item(
                                String.format("%s-%03d", type.key(), i),
                                type,
                                title,
                                material,
                                sizeValue,
                                brand));
            }
        }
        return new Catalog(items);
    }

    public List<Item> items() {
        return items;
    }

    public Map<String, Item> byId() {
        Map<String, Item> out = new java.util.HashMap<>();
        items.forEach(i -> out.put(i.id(), i));
        return out;
    }

    public static int typeCount() {
        return TYPES.size();
    }
}
