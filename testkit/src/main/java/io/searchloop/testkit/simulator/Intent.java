package io.searchloop.testkit.simulator;

/**
 * What a shopper wants: a product type, optionally of one material. The hidden oracle grades every
 * catalog item for it: 3 the right type and material, 2 the right type with another material, 1 a
 * related type (same category group), 0 unrelated.
 */
public record Intent(ProductType type, String material) {

    public int grade(Catalog.Item item) {
        if (item.type().key().equals(type.key())) {
            return material == null || material.equals(item.material()) ? 3 : 2;
        }
        return item.type().group().equals(type.group()) ? 1 : 0;
    }

    public String label() {
        return type.titleName() + (material == null ? "" : " " + material);
    }
}
