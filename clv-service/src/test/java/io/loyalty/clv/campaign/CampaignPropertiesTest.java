package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

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

    @Test
    void theIndexBuildMemoryBindsAsADataSizeWithinPostgresqlsRange() {
        assertThat(bind(Map.of()).indexBuildMemory()).isEqualTo(DataSize.ofMegabytes(128));
        assertThat(bind(Map.of("loyalty.campaign.index-build-memory", "512MB")).indexBuildMemory())
                .isEqualTo(DataSize.ofMegabytes(512));
        for (String outOfRange : new String[] {"512KB", "2GB"}) {
            assertThatThrownBy(() -> bind(Map.of("loyalty.campaign.index-build-memory", outOfRange)))
                    .hasStackTraceContaining("index-build-memory must be 1MB to 2GB");
        }
    }
}
