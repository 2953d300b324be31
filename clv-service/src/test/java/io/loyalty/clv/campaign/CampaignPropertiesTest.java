package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CampaignPropertiesTest {

    static CampaignProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("loyalty.campaign", CampaignProperties.class);
    }

    @Test
    void theConstructorWithoutTheExportSettingsGivesTheBoundDefaults() {
        CampaignProperties bound = bind(Map.of());
        assertThat(bound.csvExport()).isEqualTo(CampaignProperties.Export.DEFAULTS);
        assertThat(new CampaignProperties(bound.csvChunkRows(), bound.maxCampaignSize(),
                bound.analyzeAfterRanking(), bound.spillDirectory(), bound.upsell(), bound.retention(), bound.purchases()))
                .isEqualTo(bound);
    }

    @Test
    void theExportSettingsBindFromLoyaltyCampaignCsvExport() {
        CampaignProperties bound = bind(Map.of("loyalty.campaign.csv-export.max-concurrent", "2",
                "loyalty.campaign.csv-export.buffer-bytes", "65536", "loyalty.campaign.csv-chunk-rows", "20000"));
        assertThat(bound.csvExport()).isEqualTo(new CampaignProperties.Export(2, 65536, 0.5));
        assertThat(bound.csvChunkRows()).isEqualTo(20000);
    }
}
